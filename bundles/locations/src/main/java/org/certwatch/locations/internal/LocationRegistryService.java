package org.certwatch.locations.internal;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Publishes the {@link LocationRegistry}; enabled by {@link LocationRegistryComponent} once the locations are read,
 * so sources and pages never see a registry that is still loading.
 */
@Component(service = LocationRegistry.class, enabled = false)
public final class LocationRegistryService implements LocationRegistry {
    private final LocationRegistry locations;

    @Activate
    public LocationRegistryService(@Reference LocationsHandle handle) {
        this.locations = handle.registry();
    }

    @Override
    public Location report(Observation observation) {
        return locations.report(observation);
    }

    @Override
    public List<Location> reportAll(List<Observation> observations) {
        return locations.reportAll(observations);
    }

    @Override
    public void gone(LocationRef location) {
        locations.gone(location);
    }

    @Override
    public void present(String source, Collection<String> addresses) {
        locations.present(source, addresses);
    }

    @Override
    public Optional<Location> location(long id) {
        return locations.location(id);
    }

    @Override
    public Optional<Location> location(LocationRef ref) {
        return locations.location(ref);
    }

    @Override
    public List<Location> locations(LocationQuery query) {
        return locations.locations(query);
    }

    @Override
    public List<LocationHistoryEntry> history(long locationId) {
        return locations.history(locationId);
    }

    @Override
    public Location stopWatching(long locationId, String actor) {
        return locations.stopWatching(locationId, actor);
    }

    @Override
    public Location resumeWatching(long locationId, String actor) {
        return locations.resumeWatching(locationId, actor);
    }

    @Override
    public List<String> sources() {
        return locations.sources();
    }
}
