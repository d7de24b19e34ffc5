package org.certwatch.testclock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ClockControlTest {
    private final Instant base = Instant.parse("2026-01-01T00:00:00Z");
    private final OffsetClock clock = new OffsetClock(Clock.fixed(base, ZoneOffset.UTC));
    private final AtomicInteger changes = new AtomicInteger();
    private final ClockControl control = new ClockControl(clock, changes::incrementAndGet);

    @Test
    void setAdvanceAndAtMoveTheClockAndAnnounceIt() {
        assertEquals("ok 2026-01-01T00:00:00Z PT0S", control.handle("now"));
        assertEquals("ok 2026-01-11T00:00:00Z PT240H", control.handle("set P10D"));
        assertEquals("ok 2026-01-11T01:00:00Z PT241H", control.handle("advance PT1H"));
        assertEquals("ok 2027-01-01T00:00:00Z PT8760H", control.handle("at 2027-01-01T00:00:00Z"));
        assertEquals(Duration.ofDays(365), clock.offset());
        assertEquals(3, changes.get());
    }

    @Test
    void badCommandsAreErrorsAndChangeNothing() {
        assertTrue(control.handle("set tomorrow").startsWith("error cannot parse 'tomorrow'"));
        assertTrue(control.handle("jump").startsWith("error unknown command 'jump'"));
        assertEquals(Duration.ZERO, clock.offset());
        assertEquals(0, changes.get());
    }
}
