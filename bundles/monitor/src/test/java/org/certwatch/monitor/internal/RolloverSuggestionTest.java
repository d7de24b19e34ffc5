package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The monitor suggests a CA rollover once, when the CA's life left drops below max(longest certificate, warning). */
class RolloverSuggestionTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    final Fixtures.MemoryInventory inventory = new Fixtures.MemoryInventory();
    Outbox outbox;
    MonitorEngine engine;
    final List<NotificationDefinition> definitions = List.of(new NotificationDefinition("cas", "CAs",
            NotificationScope.CAS, null, List.of(90, 30), List.of(), true, "All", true, false));

    private void start() throws IOException {
        outbox = Outbox.open(new FileMonitorStorage(dir), clock, System::nanoTime, 1000, 60_000);
        engine = new MonitorEngine(inventory, clock, (t, p) -> { }, outbox, Duration.ofDays(90), Duration.ofDays(14), 16);
        engine.load(definitions);
        engine.computersReloaded(new Fixtures.MemoryRegistry());
    }

    @AfterEach
    void close() throws IOException {
        outbox.close();
    }

    private List<Notice> suggestionsAt(double day) {
        clock.set(Fixtures.day(day));
        engine.runDue();
        return outbox.entries().stream().map(e -> e.notice()).filter(n -> n.kind() == NoticeKind.ROLLOVER_SUGGESTED)
                .toList();
    }

    @Test
    void aYearLongCertificateMovesTheSuggestionAYearBeforeTheCaEnds() throws IOException {
        inventory.addCa(1, "All", T0, T0.plus(Duration.ofDays(2000)));
        inventory.add(7, Role.AGENT, "pc-7", "All", T0, T0.plus(Duration.ofDays(365)));
        start();
        assertEquals(List.of(), suggestionsAt(1634), "366 days left: not yet");
        List<Notice> due = suggestionsAt(1636);
        assertEquals(1, due.size(), due.toString());
        assertEquals(1, due.get(0).objectId());
        assertEquals(364, due.get(0).daysLeft());
        assertEquals("cas.ca1.rollover", due.get(0).id());
        assertEquals(1, suggestionsAt(1950).size(), "suggested once");
        outbox.close();
        start();
        assertEquals(1, suggestionsAt(1960).size(), "not again after a restart");
    }

    @Test
    void shortLivedCertificatesLeaveTheWarningWindow() throws IOException {
        inventory.addCa(1, "All", T0, T0.plus(Duration.ofDays(2000)));
        inventory.add(7, Role.AGENT, "pc-7", "All", T0, T0.plus(Duration.ofDays(30)));
        start();
        assertEquals(List.of(), suggestionsAt(1909));
        assertEquals(1, suggestionsAt(1911).size(), "89 days left: inside the 90-day warning window");
    }
}
