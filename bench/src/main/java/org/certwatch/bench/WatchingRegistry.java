package org.certwatch.bench;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;

/**
 * The files benchmark's registry: the real one, watched. It signals the end of the full scan and one expected report
 * once it is durable.
 */
final class WatchingRegistry implements LocationRegistry {
    private final LocationRegistry registry;
    final AtomicLong present = new AtomicLong();
    final CountDownLatch scanned = new CountDownLatch(1);
    volatile CountDownLatch seen = new CountDownLatch(1);
    private volatile String address;
    private volatile byte[] certificate;

    WatchingRegistry(LocationRegistry registry) {
        this.registry = registry;
    }

    void expect(String expectedAddress, byte[] expectedCertificate) {
        seen = new CountDownLatch(1);
        certificate = expectedCertificate;
        address = expectedAddress;
    }

    @Override
    public Location report(Observation o) {
        Location l = registry.report(o);
        saw(o);
        return l;
    }

    @Override
    public List<Location> reportAll(List<Observation> observations) {
        List<Location> out = registry.reportAll(observations);
        observations.forEach(this::saw);
        return out;
    }

    private void saw(Observation o) {
        if (o.succeeded() && o.location().address().equals(address)
                && Arrays.equals(o.chain().get(0), certificate)) {
            seen.countDown();
        }
    }

    @Override
    public void gone(LocationRef location) {
        registry.gone(location);
    }

    @Override
    public void present(String source, Collection<String> addresses) {
        registry.present(source, addresses);
        if (!addresses.isEmpty() && scanned.getCount() > 0) { // not the scan before the watch exists
            present.set(addresses.size());
            scanned.countDown();
        }
    }

    @Override
    public Optional<Location> location(long id) {
        return registry.location(id);
    }

    @Override
    public Optional<Location> location(LocationRef ref) {
        return registry.location(ref);
    }

    @Override
    public List<Location> locations(LocationQuery query) {
        return registry.locations(query);
    }

    @Override
    public List<LocationHistoryEntry> history(long locationId) {
        return registry.history(locationId);
    }

    @Override
    public Location stopWatching(long locationId, String actor) {
        return registry.stopWatching(locationId, actor);
    }

    @Override
    public Location resumeWatching(long locationId, String actor) {
        return registry.resumeWatching(locationId, actor);
    }

    @Override
    public List<String> sources() {
        return registry.sources();
    }
}
