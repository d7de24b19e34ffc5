package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.monitor.internal.Fixtures.MemoryInventory;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MONITORED_CERTIFICATES and LOCATIONS scopes as the threshold engine sees them. */
class MonitoredCertificateNoticesTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    final MemoryInventory inventory = new MemoryInventory();
    Outbox outbox;

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    private MonitorEngine engine(NotificationDefinition... definitions) throws IOException {
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        MonitorEngine engine = new MonitorEngine(inventory, clock, Events.NONE, outbox, Duration.ofDays(90),
                Duration.ofDays(14), 16);
        engine.load(List.of(definitions));
        return engine;
    }

    private List<String> ids() {
        return outbox.entries().stream().map(e -> e.notice().id()).toList();
    }

    @Test
    void monitoredCertificatesScopeCoversOnlyMonitoredOnesOfItsGroup() throws IOException {
        inventory.add(1, Role.MONITORED, "www.example.org", "All/Berlin", T0.minus(Duration.ofDays(1)),
                Fixtures.day(40));
        inventory.add(2, Role.AGENT, "pc-1", "All/Berlin", T0.minus(Duration.ofDays(1)), Fixtures.day(40));
        inventory.add(3, Role.MONITORED, "shop.example.org", "All/Hamburg", T0.minus(Duration.ofDays(1)),
                Fixtures.day(40));
        MonitorEngine engine = engine(new NotificationDefinition("m", "watched Berlin",
                NotificationScope.MONITORED_CERTIFICATES, null, List.of(30), List.of("ops@example.org"), false,
                "All/Berlin", true, false));
        assertEquals(List.of(), ids());
        clock.set(Fixtures.day(10.5));
        engine.runDue();
        assertEquals(List.of("m.cert1.d30"), ids());
        Notice n = outbox.entries().get(0).notice();
        assertEquals(Role.MONITORED, n.role());
        assertEquals(29, n.daysLeft());
    }

    @Test
    void aLocationsNotificationMakesNoCertificateNoticesWhateverItsThresholds() throws IOException {
        inventory.add(1, Role.MONITORED, "www.example.org", "All", T0.minus(Duration.ofDays(1)), Fixtures.day(40));
        MonitorEngine engine = engine(new NotificationDefinition("l", "locations", NotificationScope.LOCATIONS, null,
                List.of(30, 10), List.of("ops@example.org"), false, "All", true, false));
        clock.set(Fixtures.day(39));
        engine.runDue();
        assertEquals(List.of(), ids(), "locations notify on a change of state only");
    }
}
