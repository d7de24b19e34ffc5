package org.certwatch.testclock.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system clock shifted by an offset the test controls; thread-safe. */
final class OffsetClock extends Clock {
    private final Clock base;
    private volatile Duration offset = Duration.ZERO;

    OffsetClock(Clock base) {
        this.base = base;
    }

    Duration offset() {
        return offset;
    }

    void setOffset(Duration offset) {
        this.offset = offset;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return Clock.offset(base, offset).withZone(zone);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(offset);
    }

    @Override
    public long millis() {
        return base.millis() + offset.toMillis();
    }
}
