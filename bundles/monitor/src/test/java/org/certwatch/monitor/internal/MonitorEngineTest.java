package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.monitor.internal.Fixtures.MemoryInventory;
import org.certwatch.monitor.internal.Fixtures.MemoryRegistry;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorEngineTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    final MemoryInventory inventory = new MemoryInventory();
    final MemoryRegistry registry = new MemoryRegistry();
    final List<String> events = new ArrayList<>();
    final List<Map<String, Object>> eventProperties = new ArrayList<>();
    Outbox outbox;
    MonitorEngine engine;
    List<NotificationDefinition> definitions = new ArrayList<>();

    static NotificationDefinition agents(String id, String owner) {
        return new NotificationDefinition(id, "agents " + owner, NotificationScope.PEER_CERTIFICATES, Role.AGENT,
                List.of(90, 30, 7, 1), List.of("ops@example.org"), false, owner, true, false);
    }

    @BeforeEach
    void open() throws IOException {
        start();
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    private void start() throws IOException {
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        engine = new MonitorEngine(inventory, clock, (t, p) -> {
            events.add(t);
            eventProperties.add(p);
        }, outbox, Duration.ofDays(90), Duration.ofDays(14), 16);
        engine.load(definitions);
        engine.computersReloaded(registry);
    }

    private void restart() throws IOException {
        outbox.close();
        start();
    }

    private List<Notice> at(double day) {
        int before = outbox.entries().size();
        clock.set(Fixtures.day(day));
        engine.runDue();
        List<Notice> all = outbox.entries().stream().map(e -> e.notice()).toList();
        return all.subList(before, all.size());
    }

    private List<Notice> drain() {
        List<Notice> list = outbox.entries().stream().map(e -> e.notice()).toList();
        list.forEach(n -> outbox.discard(n.id()));
        return list;
    }

    @Test
    void hundredDayAgentCertificateGivesExactlyTheExpectedNotices() throws IOException {
        definitions.add(agents("n1", "All"));
        inventory.add(7, Role.AGENT, "pc-17", "All/Berlin", T0, T0.plus(Duration.ofDays(100)));
        registry.put(3, "pc-17", "All/Berlin", 7);
        restart();
        assertEquals(List.of(), drain(), "nothing at day 0");
        assertEquals(ComputerStatus.OK, engine.computer(3).orElseThrow().status());

        List<Notice> d11 = at(11);
        assertEquals(1, d11.size(), d11.toString());
        Notice n = d11.get(0);
        assertEquals(NoticeKind.CERTIFICATE_EXPIRING, n.kind());
        assertEquals(90, n.thresholdDays());
        assertEquals(89, n.daysLeft());
        assertEquals("n1.cert7.d90", n.id());
        assertEquals(List.of("ops@example.org"), n.emailRecipients());
        assertEquals(ExpiryStatus.EXPIRING, engine.certificate(7).orElseThrow().status());
        assertEquals(ComputerStatus.WARNING, engine.computer(3).orElseThrow().status());
        assertEquals("certificate expires soon", engine.computer(3).orElseThrow().text());
        assertTrue(events.contains(Topics.CERTIFICATE_EXPIRING));
        assertTrue(events.contains(Topics.COMPUTER_STATUS_CHANGED));

        assertEquals(List.of(), at(61));
        assertEquals(39, engine.certificate(7).orElseThrow().daysLeft());
        List<Notice> d84 = at(84);
        assertEquals(1, d84.size());
        assertEquals(30, d84.get(0).thresholdDays());
        assertTrue(!engine.certificate(7).orElseThrow().critical(), "16 days left: outside the 14-day critical window");
        assertEquals(List.of(), at(90));
        assertTrue(engine.certificate(7).orElseThrow().critical(), "10 days left: critical");
        List<Notice> d101 = at(101);
        assertEquals(1, d101.size(), "7 and 1 crossed together with the expiry: one notice, the most severe");
        assertEquals(NoticeKind.CERTIFICATE_EXPIRED, d101.get(0).kind());
        assertEquals(-1, d101.get(0).daysLeft());
        assertEquals(ExpiryStatus.EXPIRED, engine.certificate(7).orElseThrow().status());
        assertEquals(ComputerStatus.ERROR, engine.computer(3).orElseThrow().status());
        assertEquals("certificate expired", engine.computer(3).orElseThrow().text());
        assertEquals(3, outbox.entries().size());
    }

    @Test
    void restartGivesNoDuplicateAndCatchesUpOnceOnStart() throws IOException {
        definitions.add(agents("n1", "All"));
        inventory.add(7, Role.AGENT, "pc-17", "All", T0, T0.plus(Duration.ofDays(100)));
        restart();
        assertEquals(1, at(11).size());
        restart();
        assertEquals(1, outbox.entries().size(), "clean restart: no duplicate");
        clock.set(Fixtures.day(84)); // crossed 30 while "stopped"
        restart();
        assertEquals(2, outbox.entries().size(), "caught up on start");
        assertEquals(30, outbox.entries().get(1).notice().thresholdDays());
        restart();
        assertEquals(2, outbox.entries().size(), "and only once");
    }

    @Test
    void groupScopingNeverCoversASiblingGroup() throws IOException {
        definitions.add(agents("a", "All/A"));
        inventory.add(1, Role.AGENT, "in-a", "All/A/Lab", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(2, Role.AGENT, "in-b", "All/B", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(3, Role.AGENT, "in-ab", "All/AB", T0, T0.plus(Duration.ofDays(100)));
        restart();
        List<Notice> notices = at(11);
        assertEquals(1, notices.size());
        assertEquals(1, notices.get(0).objectId());
    }

    @Test
    void revokedOrReplacedCertificatesStayQuiet() throws IOException {
        definitions.add(agents("n1", "All"));
        inventory.add(1, Role.AGENT, "old", "All", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(2, Role.AGENT, "renewed", "All", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(3, Role.AGENT, "renewed", "All", T0, T0.plus(Duration.ofDays(400)));
        restart();
        clock.set(Fixtures.day(5));
        inventory.revoke(1, clock.instant());
        engine.certificateChanged(1);
        List<Notice> notices = at(101);
        assertEquals(List.of(), notices, "revoked one and replaced one: nothing");
        assertTrue(engine.certificate(2).orElseThrow().replaced());
        assertEquals(ExpiryStatus.REVOKED, engine.certificate(1).orElseThrow().status());
    }

    @Test
    void retiredOrDeletedMonitoredCertificatesStayQuiet() {
        definitions.add(new NotificationDefinition("m1", "monitored", NotificationScope.MONITORED_CERTIFICATES, null,
                List.of(30), List.of("ops@example.org"), false, "All", true, false));
        engine.definitionsChanged(definitions);
        CertificateInfo retired = inventory.add(1, Role.MONITORED, "a.example", "All", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(2, Role.MONITORED, "b.example", "All", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(3, Role.MONITORED, "c.example", "All", T0, T0.plus(Duration.ofDays(100)));
        for (long id = 1; id <= 3; id++) {
            engine.certificateChanged(id);
        }
        // issue 16: no location holds certificate 1 any more; certificate 2's record is deleted
        inventory.certs.put(1L, new CertificateInfo(1, Role.MONITORED, "a.example", List.of(), List.of(), 0,
                retired.issuer(), retired.subject(), retired.serial(), retired.notBefore(), retired.notAfter(),
                retired.fingerprint(), "EC", 256, false, "All", "", T0, null, null, 0, 0, T0.plus(Duration.ofDays(1))));
        engine.certificateChanged(1);
        inventory.certs.remove(2L);
        engine.certificateDeleted(2, Role.MONITORED, "b.example");
        List<Notice> notices = at(80);
        assertEquals(List.of(3L), notices.stream().map(Notice::objectId).toList());
        assertTrue(engine.certificate(1).orElseThrow().replaced(), "retired: quiet like a renewed one");
        assertTrue(engine.certificate(2).isEmpty());
        ExpirySummary s = engine.summary(UserScope.system());
        assertEquals(1, s.certificates().get(ExpiryStatus.EXPIRING),
                "issue 16: the retired one keeps its status but leaves the dashboard's and the MIB's counts");
        assertEquals(3, s.next().id(), "nor is it the next expiry");
        assertEquals(ExpiryStatus.EXPIRING, engine.certificate(1).orElseThrow().status());
    }

    @Test
    void aReplacementIssuedLaterSilencesThePredecessor() {
        definitions.add(agents("n1", "All"));
        engine.definitionsChanged(definitions);
        inventory.add(1, Role.AGENT, "pc", "All", T0, T0.plus(Duration.ofDays(100)));
        engine.certificateChanged(1);
        assertEquals(1, at(11).size());
        inventory.add(2, Role.AGENT, "pc", "All", T0.plus(Duration.ofDays(12)), T0.plus(Duration.ofDays(500)));
        engine.certificateChanged(2);
        assertEquals(List.of(), at(101));
    }

    @Test
    void agentAuthenticatingWithAReplacementReturnsTheComputerToOk() {
        inventory.add(1, Role.AGENT, "pc", "All", T0, T0.plus(Duration.ofDays(100)));
        engine.certificateChanged(1);
        registry.put(9, "pc", "All", 1);
        engine.computerChanged(registry, 9);
        at(95);
        assertEquals(ComputerStatus.WARNING, engine.computer(9).orElseThrow().status());
        inventory.add(2, Role.AGENT, "pc", "All", T0.plus(Duration.ofDays(94)), T0.plus(Duration.ofDays(800)));
        engine.certificateChanged(2);
        registry.put(9, "pc", "All", 2);
        events.clear();
        eventProperties.clear();
        engine.computerChanged(registry, 9);
        assertEquals(ComputerStatus.OK, engine.computer(9).orElseThrow().status());
        assertEquals(List.of(Topics.COMPUTER_STATUS_CHANGED), events);
        assertEquals("OK", eventProperties.get(0).get("status"));
    }

    @Test
    void computerScopeNotifiesStatusChangesOnce() throws IOException {
        definitions.add(new NotificationDefinition("c", "computers", NotificationScope.COMPUTERS, null, List.of(),
                List.of("desk@example.org"), false, "All", true, false));
        inventory.add(1, Role.AGENT, "pc", "All/X", T0, T0.plus(Duration.ofDays(100)));
        registry.put(9, "pc", "All/X", 1);
        restart();
        List<Notice> n = at(11);
        assertEquals(1, n.size());
        assertEquals(NoticeKind.COMPUTER_STATUS_CHANGED, n.get(0).kind());
        restart();
        assertEquals(1, outbox.entries().size(), "same status after restart: nothing new");
        assertEquals(1, at(101).size());
    }

    @Test
    void predefinedCaAndServerNotifications() throws IOException {
        definitions.add(new NotificationDefinition(NotificationBook.CA_ID, "ca", NotificationScope.CAS, null,
                List.of(90, 30), List.of("pki@example.org"), false, "All", true, true));
        definitions.add(new NotificationDefinition(NotificationBook.SERVER_ID, "server",
                NotificationScope.SERVER_CERTIFICATE, null, List.of(30), List.of("pki@example.org"), false, "All",
                true, true));
        inventory.addCa(1, "All", T0, T0.plus(Duration.ofDays(365)));
        inventory.add(5, Role.SERVER, "srv", "All", T0, T0.plus(Duration.ofDays(200)));
        inventory.add(6, Role.SERVER, "other", "All", T0, T0.plus(Duration.ofDays(100)));
        inventory.server = 5;
        restart();
        List<Notice> n = at(171);
        assertEquals(2, n.size(), n.toString());
        assertEquals(5, n.get(0).objectId());
        // the 200-day server certificate could not be renewed for its full life from day 165 on
        assertEquals(NoticeKind.ROLLOVER_SUGGESTED, n.get(1).kind());
        n = at(300);
        assertEquals(2, n.size(), n.toString());
        assertEquals(NoticeKind.CERTIFICATE_EXPIRED, n.get(0).kind());
        assertEquals(NoticeKind.CA_EXPIRING, n.get(1).kind());
        assertEquals(90, n.get(1).thresholdDays(), "65 days left, 30 not reached yet");
    }

    @Test
    void clockJumpBackwardsReplansAndSummaryCounts() {
        inventory.add(1, Role.AGENT, "a", "All/A", T0, T0.plus(Duration.ofDays(100)));
        inventory.add(2, Role.AGENT, "b", "All/B", T0.plus(Duration.ofDays(50)), T0.plus(Duration.ofDays(400)));
        inventory.addCa(3, "All", T0, T0.plus(Duration.ofDays(50)));
        engine.load(definitions);
        at(60);
        ExpirySummary s = engine.summary(UserScope.system());
        assertEquals(1, s.certificates().get(ExpiryStatus.EXPIRING));
        assertEquals(1, s.certificates().get(ExpiryStatus.VALID));
        assertEquals(1, s.cas().get(ExpiryStatus.EXPIRED));
        assertNotNull(s.next());
        assertEquals(3, s.next().id());
        at(1);
        s = engine.summary(UserScope.system());
        assertEquals(1, s.certificates().get(ExpiryStatus.VALID));
        assertEquals(1, s.certificates().get(ExpiryStatus.NOT_YET_VALID));
        assertEquals(1, s.cas().get(ExpiryStatus.EXPIRING), "49 days left");
        assertEquals(T0.plus(Duration.ofDays(10)).getEpochSecond(), engine.nextDue(),
                "next change: certificate 1 enters the 90-day window");
        ExpirySummary scoped = engine.summary(new UserScope("u", "All/A",
                java.util.Set.of(org.certwatch.api.fleet.Permission.CERTIFICATES_READ)));
        assertEquals(1, scoped.certificates().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(0, scoped.cas().values().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void summaryAllocatesNothingPerCertificate() {
        int n = 20_000;
        for (long id = 1; id <= n; id++) {
            inventory.add(id, Role.AGENT, "pc-" + id, "All/A", T0, T0.plus(Duration.ofDays(id % 200)));
        }
        engine.load(definitions);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        engine.summary(UserScope.system());
        long before = threads.getCurrentThreadAllocatedBytes();
        ExpirySummary s = engine.summary(UserScope.system());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(n, s.certificates().values().stream().mapToInt(Integer::intValue).sum());
        // the bench's summary over 1,000,000 certificates spent half its time boxing one Integer per certificate
        assertTrue(allocated < n, "summary of " + n + " certificates allocated " + allocated + " bytes");
    }

    @Test
    void noticeHealthAndEventCountDaysLeftToTheExactInstant() throws IOException {
        // issued for 10 days half a second ago: 9 days 23:59:59.5 left, which the page says is 9 (mail said 10)
        definitions.add(agents("n1", "All"));
        inventory.add(7, Role.AGENT, "pc-17", "All/Berlin", T0, T0.plus(Duration.ofDays(10)));
        registry.put(3, "pc-17", "All/Berlin", 7);
        clock.set(T0.plusMillis(500));
        restart();
        List<Notice> notices = drain();
        assertEquals(1, notices.size(), notices.toString());
        assertEquals(9, notices.get(0).daysLeft());
        assertEquals(9, engine.certificate(7).orElseThrow().daysLeft());
        assertEquals(9, engine.computer(3).orElseThrow().daysLeft());
        assertEquals(9, engine.summary(UserScope.system()).next().daysLeft());
    }
}
