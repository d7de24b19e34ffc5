package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationException;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.monitor.internal.Fixtures.MemoryInventory;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotificationServiceTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    final MemoryInventory inventory = new MemoryInventory();
    final List<AuditEntry> audit = new ArrayList<>();
    Outbox outbox;
    NotificationBook book;
    MonitorEngine engine;
    NotificationServiceImpl service;

    static final UserScope BERLIN = new UserScope("anna", "All/Berlin", Set.of(Permission.CERTIFICATES_READ));
    static final UserScope HAMBURG = new UserScope("hans", "All/Hamburg", Set.of(Permission.CERTIFICATES_READ));
    static final UserScope NO_READ = new UserScope("nora", "All", Set.of(Permission.COMPUTERS_READ));
    static final UserScope BERLIN_ADMIN = new UserScope("bea", "All/Berlin",
            Set.of(Permission.CERTIFICATES_READ, Permission.ADMINISTRATION));

    @BeforeEach
    void open() throws IOException {
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        book = NotificationBook.open(new FileMonitorStorage(dir));
        engine = new MonitorEngine(inventory, clock, Events.NONE, outbox, Duration.ofDays(90), Duration.ofDays(14), 16);
        engine.load(book.all());
        service = new NotificationServiceImpl(book, engine, outbox, clock, audit::add);
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    static NotificationDefinition agents(String owner, String... emails) {
        return new NotificationDefinition(null, "agents", NotificationScope.PEER_CERTIFICATES, Role.AGENT,
                List.of(7, 90, 30, 30), List.of(emails), false, owner, true, false);
    }

    @Test
    void twoPredefinedNotificationsAreEnabledAndCannotBeDeleted() {
        List<NotificationDefinition> all = service.list(UserScope.system());
        assertEquals(List.of(NotificationBook.SERVER_ID, NotificationBook.CA_ID),
                all.stream().map(NotificationDefinition::id).toList());
        assertTrue(all.stream().allMatch(d -> d.enabled() && d.predefined()));
        NotificationException e = assertThrows(NotificationException.class,
                () -> service.delete(UserScope.system(), NotificationBook.CA_ID));
        assertTrue(e.getMessage().contains("disable"), e.getMessage());
        service.update(UserScope.system(), all.get(1).withEnabled(false));
        assertTrue(!service.get(UserScope.system(), NotificationBook.CA_ID).orElseThrow().enabled());
    }

    @Test
    void usersSeeAndEditOnlyNotificationsOfTheirHomeGroupWithReadPermission() throws IOException {
        NotificationDefinition d = service.create(BERLIN, agents("", "ops@example.org"));
        assertEquals("All/Berlin", d.ownerGroup(), "owner defaults to the home group");
        assertEquals(List.of(90, 30, 7), d.thresholds(), "sorted, duplicates dropped");
        assertEquals(List.of(d), service.list(BERLIN));
        assertEquals(List.of(), service.list(HAMBURG), "a sibling group does not see it");
        assertEquals(List.of(), service.list(NO_READ), "without read permission nothing exists");
        assertThrows(NotificationException.class, () -> service.update(HAMBURG, d));
        assertThrows(NotificationException.class, () -> service.delete(HAMBURG, d.id()));
        assertThrows(NotificationException.class, () -> service.create(BERLIN, agents("All/Hamburg", "a@b.org")));
        // a path that climbs out of the home group is not inside it, and no group path at all
        assertThrows(NotificationException.class, () -> service.create(BERLIN, agents("All/Berlin/../Hamburg", "a@b.org")));
        assertThrows(NotificationException.class, () -> service.create(UserScope.system(), agents("All/./Berlin", "a@b.org")));
        assertThrows(NotificationException.class, () -> service.create(NO_READ, agents("All", "a@b.org")));
        assertEquals(3, service.list(UserScope.system()).size());
        // durable
        assertEquals(d, NotificationBook.open(new FileMonitorStorage(dir)).get(d.id()).orElseThrow());
        service.delete(BERLIN, d.id());
        assertEquals(List.of(), service.list(BERLIN));
        assertTrue(audit.stream().anyMatch(a -> a.action().equals("notification.delete")));
    }

    @Test
    void badInputIsRefusedAndChangesNothing() throws IOException {
        String before = Files.readString(dir.resolve("notifications.json"));
        for (NotificationDefinition bad : List.of(agents("All", "not-an-address"), agents("All", "a@b.org, c@d.org"),
                agents("All", "a@@b.org"), agents("Elsewhere", "a@b.org"),
                new NotificationDefinition(null, "x", NotificationScope.CAS, null, List.of(0), List.of(), false, "All",
                        true, false),
                new NotificationDefinition(null, "x", NotificationScope.CAS, Role.AGENT, List.of(5), List.of(), false,
                        "All", true, false),
                new NotificationDefinition(null, " ", NotificationScope.CAS, null, List.of(5), List.of(), false, "All",
                        true, false))) {
            assertThrows(NotificationException.class, () -> service.create(UserScope.system(), bad), bad.toString());
        }
        NotificationException e = assertThrows(NotificationException.class,
                () -> service.create(UserScope.system(), agents("All", "ops@example.org", "bad address")));
        assertEquals("emailRecipients: invalid address \"bad address\"", e.getMessage());
        assertEquals(before, Files.readString(dir.resolve("notifications.json")));
    }

    @Test
    void outboxIsScopedAndOnlyAdminsRetryOrDiscard() {
        NotificationDefinition d = service.create(BERLIN, agents("All/Berlin", "ops@example.org"));
        inventory.add(1, Role.AGENT, "pc", "All/Berlin/Lab", T0, T0.plus(Duration.ofDays(100)));
        engine.certificateChanged(1);
        clock.set(Fixtures.day(11));
        engine.runDue();
        assertEquals(1, service.outbox(BERLIN).size());
        assertEquals(0, service.outbox(HAMBURG).size());
        String id = service.outbox(BERLIN).get(0).notice().id();
        assertThrows(NotificationException.class, () -> service.discard(BERLIN, id), "needs ADMINISTRATION");
        assertThrows(NotificationException.class, () -> service.discard(HAMBURG, id), "does not exist for hans");
        String test = service.sendTest(BERLIN, d.id());
        assertEquals(NoticeKind.TEST, outbox.notice(test).kind());
        service.discard(BERLIN_ADMIN, id);
        service.retry(BERLIN_ADMIN, test);
        assertEquals(List.of(test), service.outbox(BERLIN).stream().map(e -> e.notice().id()).toList());
    }
}
