package org.certwatch.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * The store's view of the registry's best-ranked Clock. The store holds on to one Clock object for
 * its life; when a higher-ranked clock (the test clock) arrives, only the delegate changes, so
 * moving time does not reopen the store.
 */
final class SwitchableClock extends Clock {
    private volatile Clock delegate;

    SwitchableClock(Clock initial) {
        this.delegate = initial;
    }

    void set(Clock clock) {
        this.delegate = clock;
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
}
