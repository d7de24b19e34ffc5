package org.certwatch.locations.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.source.CertificateSource;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.time.SwitchableClock;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
 * Reads the locations on its own thread ({@code certwatch-locations-load}: 100,000s of them must not hold up the
 * framework's start thread, on which SCR activates immediate components), then registers the
 * {@link LocationRegistry}, so sources and pages never see one that is still loading. Tracks the
 * {@link CertificateSource} whiteboard: when a source's service goes, its locations are NOT_WATCHED.
 *
 * <p>A stop during the load interrupts it and waits for the thread. The registry is registered through the bundle
 * context rather than by enabling a second component (the store's way): Felix SCR drops an enabling that arrives
 * while the bundle is already stopping, and the disabling after it then waits forever — that hung a SIGTERM during
 * start. The {@code osgi.service} capability says so in the manifest, as DS would for a service it registers.
 */
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"org.certwatch.api.source.LocationRegistry\"", uses = LocationRegistry.class)
@Component(service = {}, immediate = true, configurationPid = "org.certwatch.locations",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = LocationsConfiguration.class)
public final class LocationRegistryComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");
    /** How long a stop waits for an interrupted load to end (it checks every few thousand lines). */
    private static final long STOP_WAIT_SECONDS = 10;

    /** The registry's best-ranked clock; a test clock arriving later takes over without a restart. */
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final Locations locations;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "certwatch-locations-load");
        t.setDaemon(true);
        return t;
    });
    private final Object publishing = new Object();
    /** Guarded by {@link #publishing}. */
    private boolean stopping;
    /** Guarded by {@link #publishing}: the loader while it reads, the one moment a stop may interrupt it. */
    private Thread reading;
    /** Guarded by {@link #publishing}. */
    private ServiceRegistration<LocationRegistry> registration;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    private final LocationStorage storage;
    /** Others' saves, from the load on (the loader thread sets it; the stop closes it). */
    private volatile Subscription following = () -> { };

    @Activate
    public LocationRegistryComponent(@Reference LocationStorage storage, @Reference CertificateStore store,
            @Reference AuditLog audit, LocationsConfiguration config) {
        this.storage = storage;
        this.locations = new Locations(storage, store, clock, audit, (topic, properties) -> {
            EventAdmin admin = eventAdmin;
            if (admin != null) {
                admin.postEvent(new Event(topic, properties));
            }
        }, config.failures_before_notice());
    }

    @Activate
    void activate(BundleContext context) {
        loader.execute(() -> publish(context));
        loader.shutdown(); // the one task runs, then the thread ends: nothing idles until the stop
    }

    /** Reads the locations on the calling thread; the registry serves once this returns (the loader, a benchmark). */
    public LocationRegistry open() throws IOException {
        locations.load();
        following = storage.watch(locations::followed);
        return locations;
    }

    private void publish(BundleContext context) {
        try {
            synchronized (publishing) {
                if (stopping) {
                    return;
                }
                reading = Thread.currentThread();
            }
            try {
                open();
            } finally {
                synchronized (publishing) {
                    reading = null;
                }
            }
            synchronized (publishing) {
                if (stopping) {
                    return;
                }
            }
            // not under the lock: registering runs the consumers' activation on this thread
            ServiceRegistration<LocationRegistry> r = context.registerService(LocationRegistry.class, locations, null);
            synchronized (publishing) {
                if (!stopping) {
                    registration = r;
                    return;
                }
            }
            r.unregister(); // the stop came while registering
        } catch (InterruptedIOException | ClosedByInterruptException e) {
            LOG.info("locations: reading stopped (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "locations not read: " + e.getMessage(), e);
        }
    }

    @Modified
    void modified(LocationsConfiguration config) {
        locations.failuresBeforeNotice(config.failures_before_notice());
    }

    @Deactivate
    void deactivate() {
        following.close();
        ServiceRegistration<LocationRegistry> published;
        synchronized (publishing) {
            stopping = true;
            published = registration;
            registration = null;
            if (reading != null) {
                reading.interrupt(); // the load stops at its next check
            }
        }
        if (published != null) {
            published.unregister();
        }
        try {
            if (!loader.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning("locations: reading did not stop within " + STOP_WAIT_SECONDS + " s of the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
