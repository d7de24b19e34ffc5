package org.certwatch.locations.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.source.CertificateSource;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.time.SwitchableClock;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Reads the locations on its own thread, then enables {@link LocationRegistryService}, which publishes them: reading
 * 100,000s of locations must not hold up the framework's start thread (SCR activates immediate components on it).
 * Tracks the {@link CertificateSource} whiteboard: when a source's service goes, its locations are NOT_WATCHED.
 */
@Component(service = LocationsHandle.class, immediate = true, configurationPid = "org.certwatch.locations",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LocationsConfiguration.class)
public final class LocationRegistryComponent implements LocationsHandle {
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");

    /** The registry's best-ranked clock; a test clock arriving later takes over without a restart. */
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final Locations locations;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "certwatch-locations-load");
        t.setDaemon(true);
        return t;
    });

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;

    @Activate
    public LocationRegistryComponent(@Reference LocationStorage storage, @Reference CertificateStore store,
            @Reference AuditLog audit, LocationsConfiguration config) {
        this.locations = new Locations(storage, store, clock, audit, (topic, properties) -> {
            EventAdmin admin = eventAdmin;
            if (admin != null) {
                admin.postEvent(new Event(topic, properties));
            }
        }, config.failures_before_notice());
    }

    @Activate
    void activate(ComponentContext component) {
        loader.execute(() -> {
            try {
                open();
                component.enableComponent(LocationRegistryService.class.getName());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.SEVERE, "locations not read: " + e.getMessage(), e);
            }
        });
    }

    /** Reads the locations; the registry serves once this returns (the runtime's loader thread, or a benchmark). */
    public LocationRegistry open() throws IOException {
        locations.load();
        return locations;
    }

    @Override
    public LocationRegistry registry() {
        return locations;
    }

    @Modified
    void modified(LocationsConfiguration config) {
        locations.failuresBeforeNotice(config.failures_before_notice());
    }

    /** SCR has stopped the service already (it references this component); disabled, it waits for the next read. */
    @Deactivate
    void deactivate(ComponentContext component) throws InterruptedException {
        loader.shutdown();
        if (!loader.awaitTermination(60, TimeUnit.SECONDS)) {
            LOG.warning("locations: reading did not finish within 60 s of the stop");
        }
        // after the loader ended, so an enabling it did just now is undone too
        component.disableComponent(LocationRegistryService.class.getName());
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
}
