package org.certwatch.testing;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.Endpoints;

/**
 * The TLS probe source's endpoints in memory for unit tests of its consumers (pages, API, discovery): it keeps what
 * it is given, refuses what the real service refuses for the simplest reasons (port, interval, duplicate address)
 * and records {@link #checkNow} calls in {@link #checked}.
 */
public final class MemoryEndpoints implements Endpoints {
    public final List<String> checked = new CopyOnWriteArrayList<>();
    private final Map<String, Endpoint> endpoints = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    public MemoryEndpoints(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Endpoint> endpoints() {
        return List.copyOf(endpoints.values());
    }

    @Override
    public Optional<Endpoint> endpoint(String id) {
        return Optional.ofNullable(endpoints.get(id));
    }

    @Override
    public synchronized Endpoint create(Endpoint e, String actor) {
        return put(Long.toString(ids.incrementAndGet()), e, clock.instant());
    }

    @Override
    public synchronized Endpoint update(Endpoint e, String actor) {
        Endpoint old = endpoints.get(e.id());
        if (old == null) {
            throw new IllegalArgumentException("no endpoint " + e.id());
        }
        return put(e.id(), e, old.createdAt());
    }

    @Override
    public void delete(String id, String actor) {
        endpoints.remove(id);
    }

    @Override
    public void checkNow(String id) {
        checked.add(id);
    }

    @Override
    public Duration defaultInterval() {
        return Duration.ofHours(1);
    }

    @Override
    public Duration minimumInterval() {
        return Duration.ofSeconds(10);
    }

    private Endpoint put(String id, Endpoint e, java.time.Instant createdAt) {
        if (e.port() < 1 || e.port() > 65535) {
            throw new IllegalArgumentException("port " + e.port() + " is not 1-65535");
        }
        if (e.interval() != null && e.interval().compareTo(minimumInterval()) < 0) {
            throw new IllegalArgumentException("interval " + e.interval() + " is below the minimum "
                    + minimumInterval());
        }
        if (endpoints.values().stream().anyMatch(o -> !o.id().equals(id) && o.address().equals(e.address()))) {
            throw new IllegalArgumentException(e.address() + " is an endpoint already");
        }
        Endpoint stored = new Endpoint(id, e.host(), e.port(), e.sniName(), e.protocol(), e.homeGroup(), e.interval(),
                e.extraCaPem(), e.checkCrl(), e.description(), createdAt);
        endpoints.put(id, stored);
        return stored;
    }
}
