package org.certwatch.monitor.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Per channel, the back-off after failed deliveries: exponential from the first delay up to the longest, in real
 * elapsed time (it is about the peer recovering, not the registry clock); reset by a delivery that succeeds or an
 * admin's retry. Not thread-safe: the {@link Outbox} guards it with its monitor.
 */
final class ChannelBackoff {
    private final LongSupplier nanos;
    private final long firstNanos;
    private final long maxNanos;
    private final Map<String, Long> until = new HashMap<>();
    private final Map<String, Integer> failures = new HashMap<>();

    ChannelBackoff(LongSupplier nanos, long firstMillis, long maxMillis) {
        this.nanos = nanos;
        this.firstNanos = firstMillis * 1_000_000L;
        this.maxNanos = maxMillis * 1_000_000L;
    }

    /** Nanoseconds the channel still waits, 0 or less when it may deliver. */
    long remaining(String channel) {
        Long end = until.get(channel);
        return end == null ? 0 : end - nanos.getAsLong();
    }

    /** One more failure in a row: the channel waits twice as long as after the last one (at most the longest). */
    long failed(String channel) {
        int n = failures.merge(channel, 1, Integer::sum);
        long delay = Math.min(maxNanos, firstNanos << Math.min(30, n - 1));
        until.put(channel, nanos.getAsLong() + delay);
        return delay;
    }

    void reset(String channel) {
        failures.remove(channel);
        until.remove(channel);
    }
}
