package org.certwatch.commons.time;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/**
 * A component's view of the registry's best-ranked {@link Clock}. The component holds one clock for
 * its life and hands it to everything it builds; when a higher-ranked clock arrives (the test clock)
 * or leaves, only the delegate changes, so moving time restarts nothing.
 */
public final class SwitchableClock extends Clock {
    private volatile Clock delegate;

    public SwitchableClock(Clock initial) {
        this.delegate = initial;
    }

    /** The system clock until the registry offers one. */
    public static SwitchableClock systemUntilSet() {
        return new SwitchableClock(Clock.systemUTC());
    }

    public void set(Clock clock) {
        this.delegate = clock;
    }

    /** Back to the system clock, when the registry's clock went away. */
    public void reset() {
        this.delegate = Clock.systemUTC();
    }

    public Clock delegate() {
        return delegate;
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
