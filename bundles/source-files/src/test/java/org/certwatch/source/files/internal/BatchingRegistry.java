package org.certwatch.source.files.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;

/** A registry that records what each call brought (batch sizes, gone and present) and can refuse batches. */
final class BatchingRegistry implements LocationRegistry {
    private final LocationRegistry delegate;
    final List<String> calls = new ArrayList<>();
    boolean refuse;

    BatchingRegistry(LocationRegistry delegate) {
        this.delegate = delegate;
    }

    @Override
    public Location report(Observation observation) {
        calls.add("report");
        return delegate.report(observation);
    }

    @Override
    public List<Location> reportAll(List<Observation> observations) {
        if (refuse) {
            throw new IllegalStateException("the disk is full");
        }
        calls.add("reportAll " + observations.size());
        return delegate.reportAll(observations);
    }

    @Override
    public void gone(LocationRef location) {
        calls.add("gone");
        delegate.gone(location);
    }

    @Override
    public void present(String source, Collection<String> addresses) {
        calls.add("present " + addresses.size());
        delegate.present(source, addresses);
    }

    @Override
    public Optional<Location> location(long id) {
        return delegate.location(id);
    }

    @Override
    public Optional<Location> location(LocationRef ref) {
        return delegate.location(ref);
    }

    @Override
    public List<Location> locations(LocationQuery query) {
        return delegate.locations(query);
    }

    @Override
    public List<LocationHistoryEntry> history(long locationId) {
        return delegate.history(locationId);
    }

    @Override
    public Location stopWatching(long locationId, String actor) {
        return delegate.stopWatching(locationId, actor);
    }

    @Override
    public Location resumeWatching(long locationId, String actor) {
        return delegate.resumeWatching(locationId, actor);
    }

    @Override
    public List<String> sources() {
        return delegate.sources();
    }
}
