package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.monitor.internal.Fixtures.MemoryInventory;
import org.certwatch.monitor.internal.Fixtures.MemoryRegistry;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A computer whose agent stopped replicating for three intervals is SILENT, decided by the clock. */
class SilentComputersTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    final MemoryInventory inventory = new MemoryInventory();
    final MemoryRegistry registry = new MemoryRegistry();
    final List<Map<String, Object>> changes = new ArrayList<>();
    Outbox outbox;

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    private List<Notice> drain() {
        List<Notice> list = outbox.entries().stream().map(e -> e.notice()).toList();
        list.forEach(n -> outbox.discard(n.id()));
        return list;
    }

    @Test
    void anAgentThatStopsReplicatingMakesItsComputerSilentUntilItReplicatesAgain() throws IOException {
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        MonitorEngine engine = new MonitorEngine(inventory, clock, (topic, p) -> {
            if (topic.equals(Topics.COMPUTER_STATUS_CHANGED)) {
                changes.add(p);
            }
        }, outbox, Duration.ofDays(90), Duration.ofDays(14), 16, 3);
        inventory.add(7, Role.AGENT, "pc-17", "All", T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(365)));
        registry.put(3, "pc-17", "All", 7); // replicated at T0; the registry's interval is 60 s
        engine.load(List.of(new NotificationDefinition("c", "computers", NotificationScope.COMPUTERS, null, List.of(),
                List.of("desk@example.org"), true, "All", true, false)));
        engine.computersReloaded(registry);
        assertEquals(T0.plusSeconds(180).getEpochSecond(), engine.runDue(), "wakes when the third interval ends");
        assertEquals(ComputerStatus.OK, engine.computer(3).orElseThrow().status());

        clock.set(T0.plusSeconds(179));
        engine.runDue();
        assertEquals(ComputerStatus.OK, engine.computer(3).orElseThrow().status());
        assertEquals(List.of(), drain());

        clock.set(T0.plusSeconds(180));
        engine.runDue();
        assertEquals(ComputerStatus.SILENT, engine.computer(3).orElseThrow().status());
        assertEquals("agent silent since " + T0, engine.computer(3).orElseThrow().text());
        assertEquals(1, engine.summary(UserScope.system()).computers().get(ComputerStatus.SILENT));
        List<Notice> silent = drain();
        assertEquals(1, silent.size());
        assertEquals(NoticeKind.COMPUTER_STATUS_CHANGED, silent.get(0).kind());
        assertEquals("SILENT", silent.get(0).reason());
        assertEquals("SILENT", changes.get(changes.size() - 1).get("status"));

        // it replicates again: OK, announced once
        clock.set(T0.plusSeconds(200));
        registry.computers.put(3L, new Computer(3, "pc-17", "All", 7, "", T0, T0.plusSeconds(200), 1, "1", "pc-17"));
        engine.computerChanged(registry, 3);
        assertEquals(ComputerStatus.OK, engine.computer(3).orElseThrow().status());
        assertEquals(List.of("OK"), drain().stream().map(Notice::reason).toList());
        assertEquals(T0.plusSeconds(380).getEpochSecond(), engine.runDue());
    }

    @Test
    void silenceCountsFromTheServersStartAtTheEarliest() throws IOException {
        // the server was down for a day: its agents could not replicate, they get their intervals anew
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        MonitorEngine engine = new MonitorEngine(inventory, clock, Events.NONE, outbox, Duration.ofDays(90),
                Duration.ofDays(14), 16, 3);
        inventory.add(7, Role.AGENT, "pc-17", "All", T0.minus(Duration.ofDays(10)), T0.plus(Duration.ofDays(365)));
        registry.computers.put(3L, new Computer(3, "pc-17", "All", 7, "", T0.minus(Duration.ofDays(2)),
                T0.minus(Duration.ofDays(1)), 1, "1", "pc-17"));
        engine.load(List.of());
        engine.computersReloaded(registry);
        assertEquals(ComputerStatus.OK, engine.computer(3).orElseThrow().status());
        clock.set(T0.plusSeconds(180));
        engine.runDue();
        assertEquals(ComputerStatus.SILENT, engine.computer(3).orElseThrow().status());
    }

    @Test
    void anExpiredCertificateStaysTheReasonShown() throws IOException {
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        MonitorEngine engine = new MonitorEngine(inventory, clock, Events.NONE, outbox, Duration.ofDays(90),
                Duration.ofDays(14), 16, 3);
        inventory.add(7, Role.AGENT, "pc-17", "All", T0.minus(Duration.ofDays(10)), T0.plusSeconds(60));
        registry.put(3, "pc-17", "All", 7);
        engine.load(List.of());
        engine.computersReloaded(registry);
        clock.set(T0.plusSeconds(600));
        engine.runDue();
        assertEquals(ComputerStatus.ERROR, engine.computer(3).orElseThrow().status());
    }
}
