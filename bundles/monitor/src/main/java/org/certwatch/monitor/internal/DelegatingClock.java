package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** The registry's best-ranked Clock behind one stable object, so a test clock arriving swaps only the delegate. */
final class DelegatingClock extends Clock {
    private volatile Clock delegate;

    DelegatingClock(Clock initial) {
        this.delegate = initial;
    }

    void set(Clock clock) {
        this.delegate = clock;
    }

    boolean ready() {
        return delegate != null;
    }

    @Override
    public ZoneId getZone() {
        return delegate.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return delegate.withZone(zone);
    }

    @Override
    public Instant instant() {
        return delegate.instant();
    }

    @Override
    public long millis() {
        return delegate.millis();
    }
}
