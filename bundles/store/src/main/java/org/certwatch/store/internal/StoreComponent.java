package org.certwatch.store.internal;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreEvents;
import org.certwatch.store.internal.core.StoreSettings;
import org.certwatch.store.internal.persist.KeyPasswordSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Opens the store in {@code $CERTWATCH_DATA/store} on its own thread (opening 100,000 certificates or
 * generating the first-start keys must not hold up the framework's start thread), then registers
 * {@link CertificateStore} and the Gogo commands. Consumers therefore see the service only when it
 * is usable. The Clock reference is dynamic and greedy: a higher-ranked test clock takes over
 * without reopening the store.
 */
@Component(service = {}, configurationPid = "org.certwatch.store", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfiguration.class)
public final class StoreComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final BundleContext context;
    private final StoreConfiguration config;
    private final AuditLog audit;
    private final SwitchableClock clock = new SwitchableClock(null);
    private final CountDownLatch clockBound = new CountDownLatch(1);
    private final List<CaDeletionGuard> guards = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor;
    private volatile EventAdmin eventAdmin;
    private volatile PkiStore store;
    private volatile boolean stopping;
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();

    @Activate
    public StoreComponent(BundleContext context, StoreConfiguration config, @Reference(name = "audit") AuditLog audit) {
        this.context = context;
        this.config = config;
        this.audit = audit;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "certwatch-store-open");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::open);
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(java.time.Clock registryClock) {
        clock.set(registryClock);
        clockBound.countDown();
    }

    void unbindClock(java.time.Clock registryClock) {
        // SCR binds the replacement before unbinding the old one; nothing to do
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    void unbindEventAdmin(EventAdmin admin) {
        if (this.eventAdmin == admin) {
            this.eventAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindGuard(CaDeletionGuard guard) {
        guards.add(guard);
    }

    void unbindGuard(CaDeletionGuard guard) {
        guards.remove(guard);
    }

    private void open() {
        try {
            // the dynamic Clock is bound right after construction; wait for it so no step uses no clock
            if (!clockBound.await(30, TimeUnit.SECONDS)) {
                LOG.severe("certificate store not opened: no java.time.Clock service in the registry");
                return;
            }
            Path data = Path.of(context.getProperty(RuntimeProperties.DATA));
            KeyPasswordSource password = KeyPasswordSource.resolve(System.getenv(), data);
            PkiStore opened = PkiStore.open(data.resolve("store"), password.password(), clock, audit, this::post,
                    () -> List.copyOf(guards), settings(config), new BouncyCastleProvider());
            if (stopping) {
                opened.close();
                return;
            }
            store = opened;
            opened.ensureInitialCertificates(hostName(), "system");
            registrations.add(context.registerService(CertificateStore.class, opened, null));
            StoreCommands commands = new StoreCommands(opened, password.origin(), clock);
            registrations.addAll(commands.register(context));
            // a moved test clock may push CRLs towards nextUpdate at once: check them right away
            registrations.add(context.registerService(EventHandler.class, event -> executor.execute(
                    opened::refreshCrls), properties(EventConstants.EVENT_TOPIC, Topics.CLOCK_CHANGED)));
            long minutes = Math.max(1, config.crl_check_minutes());
            executor.scheduleWithFixedDelay(opened::refreshCrls, minutes, minutes, TimeUnit.MINUTES);
            LOG.info("certificate store ready: " + opened.cas().size() + " CAs, " + opened.size()
                    + " certificates; key password from " + password.origin());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "certificate store did not open: " + e.getMessage(), e);
        }
    }

    static StoreSettings settings(StoreConfiguration c) {
        return new StoreSettings(Duration.ofSeconds(c.clock_skew_seconds()), c.crl_base_url(),
                Duration.ofDays(c.crl_validity_days()), Duration.ofDays(c.certificate_validity_days()),
                Duration.ofDays(c.ca_validity_days()), c.key_iterations());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            String env = System.getenv("HOSTNAME");
            return env == null ? "" : env;
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    @Deactivate
    void stop() {
        stopping = true;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warning("certificate store: opening did not finish within 60 s of the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // already gone with the bundle
            }
        }
        registrations.clear();
        PkiStore s = store;
        store = null;
        if (s != null) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the certificate store failed", e);
            }
        }
    }

    static Dictionary<String, Object> properties(Object... keyValues) {
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.put((String) keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
