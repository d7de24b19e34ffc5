package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.Role;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocationNoticesTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    static final CertificateInfo CERT = new CertificateInfo(42, Role.MONITORED, "www.example.org", List.of(), 0,
            "CN=Some CA", "CN=www.example.org", BigInteger.valueOf(4096), T0.minus(Duration.ofDays(10)),
            T0.plus(Duration.ofDays(20)).plusSeconds(5), "AB".repeat(32), "EC", 256, false, "All/Berlin", "", T0,
            null, null, 0, 0);

    static NotificationDefinition locations(String id, String owner) {
        return new NotificationDefinition(id, "files " + id, NotificationScope.LOCATIONS, null, List.of(),
                List.of("ops@example.org"), true, owner, true, false);
    }

    static Location failing(long id, String group) {
        return new Location(id, new LocationRef("files", LocationKind.FILE, "/etc/ssl/site.pem", group),
                LocationState.FAILING, 42, List.of(), LocationFailure.MISSING, "/etc/ssl/site.pem: missing", 3, T0,
                T0, T0);
    }

    private Outbox open() throws IOException {
        return Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 8000);
    }

    private LocationNotices notices(Outbox box) {
        return new LocationNotices(box, clock, id -> id == 42 ? Optional.of(CERT) : Optional.empty());
    }

    private static List<String> ids(Outbox box) {
        return box.entries().stream().map(e -> e.notice().id()).toList();
    }

    @Test
    void oneNoticePerChangeOfStateWithAStableIdPerSpell() throws IOException {
        List<NotificationDefinition> defs = List.of(locations("n1", "All"));
        Location loc = failing(7, "All/Berlin");
        try (Outbox box = open()) {
            LocationNotices n = notices(box);
            n.failing(defs, loc, "/etc/ssl/site.pem: missing");
            n.failing(defs, loc, "/etc/ssl/site.pem: missing"); // announced again: the same spell
            assertEquals(List.of("n1.loc7.failing1"), ids(box));
            Notice first = box.entries().get(0).notice();
            assertEquals(NoticeKind.LOCATION_FAILING, first.kind());
            assertEquals(7, first.objectId());
            assertEquals("/etc/ssl/site.pem", first.host());
            assertEquals("/etc/ssl/site.pem: missing", first.reason());
            assertEquals("All/Berlin", first.group());
            assertEquals("CN=www.example.org", first.subject());
            assertEquals("1000", first.serial());
            assertEquals(20, first.daysLeft());
            assertEquals("/locations/7", first.link());
        }
        try (Outbox box = open()) { // the spell survives a restart: no second notice for it
            LocationNotices n = notices(box);
            n.failing(defs, loc, "again");
            n.recovered(defs, loc);
            n.recovered(defs, loc);
            n.failing(defs, loc, "/etc/ssl/site.pem: corrupt");
            assertEquals(List.of("n1.loc7.failing1", "n1.loc7.recovered1", "n1.loc7.failing2"), ids(box));
            assertEquals(NoticeKind.LOCATION_RECOVERED, box.entries().get(1).notice().kind());
        }
    }

    @Test
    void eachFindingsChangeIsOneNoticeNumberedAcrossRestarts() throws IOException {
        List<NotificationDefinition> defs = List.of(locations("n1", "All"), locations("elsewhere", "All/Hamburg"));
        Location loc = failing(9, "All/Berlin");
        try (Outbox box = open()) {
            notices(box).findings(defs, loc, List.of("certificate does not name shop.example.org",
                    "intermediate CN=R3 expires in 9 days"));
            assertEquals(List.of("n1.loc9.findings1"), ids(box), "the Hamburg notification does not cover Berlin");
            Notice n = box.entries().get(0).notice();
            assertEquals(NoticeKind.LOCATION_FINDINGS, n.kind());
            assertEquals(9, n.objectId());
            assertEquals("certificate does not name shop.example.org; intermediate CN=R3 expires in 9 days",
                    n.reason());
            assertEquals("location /etc/ssl/site.pem (files): certificate does not name shop.example.org;"
                    + " intermediate CN=R3 expires in 9 days", n.text());
            assertEquals("/locations/9", n.link());
        }
        try (Outbox box = open()) {
            notices(box).findings(defs, loc, List.of());
            assertEquals(List.of("n1.loc9.findings1", "n1.loc9.findings2"), ids(box));
            assertEquals("location /etc/ssl/site.pem (files) has no findings any more",
                    box.entries().get(1).notice().text());
        }
    }

    @Test
    void homeGroupRuleAndScopeDecideWhoHearsIt() throws IOException {
        NotificationDefinition certs = new NotificationDefinition("n9", "certs",
                NotificationScope.MONITORED_CERTIFICATES, null, List.of(30), List.of("a@example.org"), true, "All",
                true, false);
        List<NotificationDefinition> defs = List.of(locations("berlin", "All/Berlin"),
                locations("hamburg", "All/Hamburg"), locations("off", "All").withEnabled(false), certs);
        try (Outbox box = open()) {
            notices(box).failing(defs, failing(3, "All/Berlin/Lab"), "x");
            assertEquals(List.of("berlin.loc3.failing1"), ids(box));
        }
    }

    @Test
    void aLocationsNotificationNeedsNoThresholds() {
        assertEquals(List.of(), NotificationBook.validate(locations(null, "All"), false).thresholds());
    }

    @Test
    void aRecoveryNobodyWasToldTheFailureOfStaysQuiet() throws IOException {
        try (Outbox box = open()) {
            notices(box).recovered(List.of(locations("n1", "All")), failing(5, "All"));
            assertEquals(List.of(), ids(box));
            assertNull(box.notified("n1" + LocationNotices.SUFFIX, 5));
        }
    }
}
