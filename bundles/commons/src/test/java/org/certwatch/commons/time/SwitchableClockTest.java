package org.certwatch.commons.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SwitchableClockTest {
    @Test
    void followsTheDelegateItIsGiven() {
        Instant then = Instant.parse("2030-01-01T00:00:00Z");
        SwitchableClock clock = SwitchableClock.systemUntilSet();
        clock.set(Clock.fixed(then, ZoneOffset.UTC));
        assertEquals(then, clock.instant());
        assertEquals(then.toEpochMilli(), clock.millis());
        clock.reset();
        assertEquals(Clock.systemUTC(), clock.delegate());
    }
}
