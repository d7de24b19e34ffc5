package org.certwatch.testing;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.DiscoveryRange;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Endpoints;

/**
 * Discovery in memory for unit tests of its consumers: ranges kept as given (a range with "/0" in it is refused as
 * too large), {@link #run} recorded in {@link #runs}, candidates put by the test ({@link #found}); approving one
 * creates a direct-TLS endpoint through the given {@link Endpoints}.
 */
public final class MemoryDiscovery implements Discovery {
    public final List<String> runs = new CopyOnWriteArrayList<>();
    private final Map<String, DiscoveryRange> ranges = new ConcurrentSkipListMap<>();
    private final List<DiscoveredEndpoint> candidates = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;
    private final Endpoints endpoints;

    public MemoryDiscovery(Clock clock, Endpoints endpoints) {
        this.clock = clock;
        this.endpoints = endpoints;
    }

    /** A scan found this endpoint. */
    public void found(DiscoveredEndpoint candidate) {
        candidates.add(candidate);
    }

    @Override
    public List<DiscoveryRange> ranges() {
        return List.copyOf(ranges.values());
    }

    @Override
    public Optional<DiscoveryRange> range(String id) {
        return Optional.ofNullable(ranges.get(id));
    }

    @Override
    public DiscoveryRange create(DiscoveryRange r, String actor) {
        return put(Long.toString(ids.incrementAndGet()), r);
    }

    @Override
    public DiscoveryRange update(DiscoveryRange r, String actor) {
        return put(r.id(), r);
    }

    @Override
    public void delete(String id, String actor) {
        ranges.remove(id);
    }

    @Override
    public void run(String id, String actor) {
        runs.add(id);
    }

    @Override
    public boolean running(String id) {
        return false;
    }

    @Override
    public List<DiscoveredEndpoint> candidates() {
        return List.copyOf(candidates);
    }

    @Override
    public Endpoint approve(String host, int port, String actor) {
        DiscoveredEndpoint c = take(host, port);
        String group = range(c.rangeId()).map(DiscoveryRange::homeGroup).orElse("All");
        return endpoints.create(new Endpoint(null, host, port, "", EndpointProtocol.TLS, group, null, "", false,
                "found by discovery", null), actor);
    }

    @Override
    public void dismiss(String host, int port, String actor) {
        take(host, port);
    }

    private DiscoveredEndpoint take(String host, int port) {
        DiscoveredEndpoint c = candidates.stream().filter(d -> d.host().equals(host) && d.port() == port).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no candidate " + host + ":" + port));
        candidates.remove(c);
        return c;
    }

    private DiscoveryRange put(String id, DiscoveryRange r) {
        if (r.addresses().endsWith("/0")) {
            throw new IllegalArgumentException("range " + r.addresses() + " is larger than 4096 addresses");
        }
        DiscoveryRange stored = new DiscoveryRange(id, r.addresses(), r.ports(), r.homeGroup(), r.every(),
                r.addFound(), r.description(), r.createdAt() == null ? clock.instant() : r.createdAt(), r.lastRun());
        ranges.put(id, stored);
        return stored;
    }
}
