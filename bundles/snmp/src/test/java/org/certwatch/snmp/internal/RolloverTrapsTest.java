package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Topics;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** A rollover event becomes cwRolloverStepCompleted/Blocked with its varbinds; a suggestion cwRolloverSuggested. */
class RolloverTrapsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static Event event(String topic, String reason) {
        return new Event(topic, Map.of("rollover.id", 3L, "step", 4, "step.name", "wait until every computer replicated twice",
                "old.ca.id", 1L, "new.ca.id", 2L, "actor", "admin", "reason", reason));
    }

    @Test
    void stepEventsMapToTheirNotificationTypes() {
        Notice blocked = RolloverTraps.notice(event(Topics.ROLLOVER_STEP_BLOCKED, "2 computer(s): pc-1; pc-2"), CLOCK);
        assertEquals(NoticeKind.ROLLOVER_STEP_BLOCKED, blocked.kind());
        assertEquals("rollover-3-step-4-blocked-" + CLOCK.millis(), blocked.id());
        NoticeVarbinds.Notification n = NoticeVarbinds.of(blocked, null);
        assertEquals(CwOids.notification(7), n.trapOid());
        List<String> oids = n.varbinds().stream().map(vb -> vb.getOid().toDottedString()).toList();
        assertEquals(List.of("1.3.6.1.4.1.32473.1.1.5.2.0", "1.3.6.1.4.1.32473.1.1.5.3.0", "1.3.6.1.4.1.32473.1.1.5.4.0",
                "1.3.6.1.4.1.32473.1.1.5.5.0", "1.3.6.1.4.1.32473.1.1.5.1.0"), oids);
        assertEquals(3, n.varbinds().get(0).getVariable().toLong());
        assertEquals(4, n.varbinds().get(1).getVariable().toInt());
        assertEquals("2 computer(s): pc-1; pc-2", n.varbinds().get(3).getVariable().toString());

        Notice done = RolloverTraps.notice(event(Topics.ROLLOVER_STEP_COMPLETED, "x".repeat(400)), CLOCK);
        assertEquals(CwOids.notification(6), NoticeVarbinds.of(done, null).trapOid());
        assertTrue(done.reason().length() <= 255, "fits the reason varbind");
    }

    @Test
    void aSuggestionIsCwRolloverSuggestedWithTheCaVarbinds() {
        Notice n = new Notice("cas.ca1.rollover", NoticeKind.ROLLOVER_SUGGESTED, CLOCK.instant(), "CAs", 1, "0A",
                "CN=CA", "CN=CA", null, "", "ab", CLOCK.instant().plusSeconds(86_400 * 300L), 300, -1, "All", "", "",
                List.of(), true, 0, 0, "", "");
        NoticeVarbinds.Notification v = NoticeVarbinds.of(n, null);
        assertEquals(CwOids.notification(8), v.trapOid());
        assertEquals(6, v.varbinds().size());
    }
}
