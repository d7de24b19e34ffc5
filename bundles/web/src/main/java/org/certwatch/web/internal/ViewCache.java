package org.certwatch.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.certwatch.api.fleet.UserScope;

/**
 * Lists and the dashboard are computed over every certificate (100,000 and more), so they are
 * kept per user scope and filter until something changes (a store/fleet event, a state change
 * made here, a clock jump) or, because statuses move with time, for at most five seconds.
 */
final class ViewCache {
    static final Duration MAX_AGE = Duration.ofSeconds(5);
    private static final int MAX_ENTRIES = 64;

    private record Key(String kind, UserScope scope, Object filter) {
    }

    private record Cached(long generation, Instant at, Object value) {
    }

    private final Supplier<Instant> clock;
    private final AtomicLong generation = new AtomicLong();
    private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
    private final Map<Key, Object> locks = new ConcurrentHashMap<>();
    private final Set<Key> refreshing = ConcurrentHashMap.newKeySet();

    ViewCache(Supplier<Instant> clock) {
        this.clock = clock;
    }

    private Instant now() {
        return clock.get();
    }

    /** Something changed: the next list or dashboard is computed afresh. */
    void invalidate() {
        generation.incrementAndGet();
    }

    /** The value kept for this kind, scope and filter, or {@code compute}'s fresh one. */
    <T> T get(String kind, UserScope scope, Object filter, Supplier<T> compute) {
        return cached(new Key(kind, scope, filter), compute);
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Key key, Supplier<T> compute) {
        Cached c = cache.get(key);
        if (c != null && c.generation() == generation.get()) {
            if (young(c)) {
                return (T) c.value();
            }
            // only time has passed: one caller recomputes, the others keep the previous answer meanwhile,
            // so a second's ageing never makes every concurrent request wait for a full recomputation
            if (refreshing.add(key)) {
                try {
                    return computeAndStore(key, compute);
                } finally {
                    refreshing.remove(key);
                }
            }
            return (T) c.value();
        }
        // something changed: wait for the fresh answer (one computation per key at a time)
        synchronized (locks.computeIfAbsent(key, k -> new Object())) {
            c = cache.get(key);
            if (c != null && c.generation() == generation.get() && young(c)) {
                return (T) c.value();
            }
            return computeAndStore(key, compute);
        }
    }

    private <T> T computeAndStore(Key key, Supplier<T> compute) {
        long gen = generation.get();
        Instant at = now();
        T value = compute.get();
        if (cache.size() >= MAX_ENTRIES) {
            cache.clear();
        }
        cache.put(key, new Cached(gen, at, value));
        return value;
    }

    private boolean young(Cached c) {
        Instant now = now();
        return !now.isBefore(c.at()) && now.isBefore(c.at().plus(MAX_AGE));
    }
}
