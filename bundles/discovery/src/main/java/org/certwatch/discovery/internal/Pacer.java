package org.certwatch.discovery.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Spaces connection attempts to at most {@code perSecond}: each {@link #await} returns no earlier than one interval
 * after the previous one. Measured on the monotonic {@code nanoTime}, not the registry clock: the rate protects the
 * network now, whatever time a test clock shows.
 */
final class Pacer {
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private long next;

    Pacer(int perSecond, LongSupplier nanoTime) {
        this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / Math.max(1, perSecond);
        this.nanoTime = nanoTime;
        this.next = nanoTime.getAsLong();
    }

    /** Waits for the next slot; an interrupt ends the wait early and stays set. */
    void await() throws InterruptedException {
        long now = nanoTime.getAsLong();
        long wait = next - now;
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
        next = Math.max(next, now) + intervalNanos;
    }
}
