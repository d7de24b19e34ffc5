package org.certwatch.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;

/**
 * The probe benchmark's registry: counts reports and keeps when each location was checked and which TLS versions
 * were negotiated; nothing else, so that the registry is not what is measured.
 */
final class CountingRegistry implements LocationRegistry {
    final AtomicInteger reports = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicReference<String> lastFailure = new AtomicReference<>();
    final Map<String, List<Instant>> times = new ConcurrentHashMap<>();
    /** Successful checks per negotiated protocol ({@code TLSv1.3}). */
    final Map<String, Integer> protocols = new ConcurrentHashMap<>();
    private volatile CountDownLatch expected = new CountDownLatch(0);

    void expect(int n) {
        expected = new CountDownLatch(n);
    }

    boolean await(Duration d) throws InterruptedException {
        return expected.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Fails with the count and the last reason when any check failed. */
    void assertNoFailures() {
        if (failures.get() > 0) {
            throw new AssertionError(failures.get() + " checks failed, e.g. " + lastFailure.get());
        }
    }

    @Override
    public Location report(Observation o) {
        reports.incrementAndGet();
        if (!o.succeeded()) {
            failures.incrementAndGet();
            lastFailure.set(o.reason());
        } else if (o.probe() != null) {
            protocols.merge(o.probe().protocol(), 1, Integer::sum);
        }
        times.compute(o.location().address(), (a, l) -> {
            List<Instant> next = l == null ? new ArrayList<>() : l;
            next.add(Instant.now());
            return next;
        });
        expected.countDown();
        return null;
    }

    @Override
    public void gone(LocationRef location) {
        // nothing is removed in the benchmark
    }

    @Override
    public void present(String source, Collection<String> addresses) {
        // every endpoint is present
    }

    @Override
    public Optional<Location> location(long id) {
        return Optional.empty();
    }

    @Override
    public Optional<Location> location(LocationRef ref) {
        return Optional.empty();
    }

    @Override
    public List<Location> locations(LocationQuery query) {
        return List.of();
    }

    @Override
    public List<LocationHistoryEntry> history(long locationId) {
        return List.of();
    }

    @Override
    public Location stopWatching(long locationId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Location resumeWatching(long locationId, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> sources() {
        return List.of("tls");
    }
}
