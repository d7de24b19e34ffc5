package org.certwatch.locations.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.source.CertificateSource;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.time.SwitchableClock;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes the {@link LocationRegistry} and tracks the {@link CertificateSource} whiteboard: when a source's
 * service goes, its locations are NOT_WATCHED. The locations are read before the service is published.
 */
@Component(service = LocationRegistry.class, immediate = true, configurationPid = "org.certwatch.locations",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LocationsConfiguration.class)
public final class LocationRegistryComponent implements LocationRegistry {
    /** The registry's best-ranked clock; a test clock arriving later takes over without a restart. */
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final Locations locations;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public LocationRegistryComponent(@Reference LocationStorage storage, @Reference CertificateStore store,
            @Reference AuditLog audit, LocationsConfiguration config) throws IOException {
        this.locations = new Locations(storage, store, clock, audit, (topic, properties) -> {
            EventAdmin admin = eventAdmin;
            if (admin != null) {
                admin.postEvent(new Event(topic, properties));
            }
        }, config.failures_before_notice());
        locations.load();
    }

    @Modified
    void modified(LocationsConfiguration config) {
        locations.failuresBeforeNotice(config.failures_before_notice());
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // SCR binds the replacement before unbinding the old one
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindSource(CertificateSource source) {
        locations.sourceAdded(source.name());
    }

    void unbindSource(CertificateSource source) {
        locations.sourceGone(source.name());
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
