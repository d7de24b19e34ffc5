package org.certwatch.store.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Capability;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.commons.ready.Announcement;
import org.certwatch.commons.time.SwitchableClock;
import org.certwatch.store.internal.core.KeyPassword;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreSettings;
import org.certwatch.store.internal.persist.KeyPasswordSource;
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
 * Opens the store on its own thread — in {@code $CERTWATCH_DATA/store}, or on the shared backend that the
 * framework property {@link RuntimeProperties#BACKEND} names, whose {@link Persistence} it then waits for — (opening 100,000 certificates or
 * generating the first-start keys must not hold up the framework's start thread), then registers the
 * {@link StoreHandle} that the components serving it reference ({@link CertificateStoreService},
 * {@link SecretSealerService}, {@link StoreCommands}, {@link CrlRefresher}, {@link GroupRenameFollower}): consumers
 * therefore see {@code CertificateStore} only while it is open. The handle is withdrawn before the store closes, so
 * SCR stops them first. Registered by hand, not by DS: a DS service of this component would be registered at once
 * by each activation, also by the one that has no store yet (the backend just went), and the serving components
 * would bind to it and answer with a closed store until anything disabled them. The Clock reference is dynamic
 * and greedy: a higher-ranked test clock takes over
 * without reopening the store. The {@link Persistence} reference is static and greedy: the shared backend coming
 * or going re-activates this component, so the store's services are there exactly while the backend is.
 */
@Capability("store")
@Component(service = {}, immediate = true, configurationPid = "org.certwatch.store",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = StoreConfiguration.class)
public final class StoreComponent implements StoreHandle {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");
    private volatile StoreConfiguration config;
    private final AuditLog audit;
    private final Persistence persistence;
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final ExecutorService opener = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "certwatch-store-open");
        t.setDaemon(true);
        return t;
    });
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<CaDeletionGuard> guards;
    private volatile PkiStore store;
    private volatile String passwordOrigin;
    private volatile boolean stopping;
    private volatile Announcement announcement;
    private volatile ServiceRegistration<StoreHandle> registration;

    @Activate
    public StoreComponent(StoreConfiguration config, @Reference(name = "audit") AuditLog audit,
            @Reference(name = "persistence", cardinality = ReferenceCardinality.OPTIONAL,
                    policyOption = ReferencePolicyOption.GREEDY, target = "(" + Persistence.BACKEND_PROPERTY + "=*)")
            Persistence persistence) {
        this.config = config;
        this.audit = audit;
        this.persistence = persistence;
    }

    /** Mandatory, so bound before {@link #activate}; dynamic, so a new clock only changes the delegate. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // SCR binds the replacement before unbinding the old one; nothing to do
    }

    @Activate
    void activate(BundleContext context) {
        announcement = new Announcement(context, "store");
        opener.execute(() -> open(context));
    }

    private void open(BundleContext context) {
        try {
            Path data = Path.of(context.getProperty(RuntimeProperties.DATA));
            Path etc = Path.of(context.getProperty(RuntimeProperties.ETC));
            KeyPasswordSource password = KeyPasswordSource.resolve(System.getenv(), etc);
            StoreConfiguration used = config;
            String backend = context.getProperty(RuntimeProperties.BACKEND);
            PkiStore opened;
            if (backend == null || backend.isBlank() || backend.equals(RuntimeProperties.BACKEND_FILE)) {
                opened = PkiStore.open(data.resolve("store"), password.password(), clock, audit, this::post,
                        () -> List.copyOf(guards), settings(used), new BouncyCastleProvider());
            } else if (persistence != null && persistence.backend().equals(backend)) {
                opened = PkiStore.openShared(persistence, new KeyPassword() {
                    @Override
                    public char[] read() throws IOException {
                        return KeyPasswordSource.resolve(System.getenv(), etc).password();
                    }

                    @Override
                    public String origin() {
                        return "the key password (" + KeyPasswordSource.ENV + ", " + KeyPasswordSource.ENV_FILE
                                + " or " + etc.resolve(KeyPasswordSource.DEFAULT_FILE) + ")";
                    }
                }, clock, audit, this::post,
                        () -> List.copyOf(guards), settings(used), new BouncyCastleProvider());
            } else {
                LOG.info("certificate store: waiting for the " + backend + " backend");
                announcement.waiting("the " + backend + " backend");
                return;
            }
            if (stopping) {
                opened.close();
                return;
            }
            store = opened;
            if (config != used) {
                modified(config); // changed while the store was opening
            }
            passwordOrigin = password.origin();
            opened.ensureInitialCertificates(hostName(), "system");
            registration = context.registerService(StoreHandle.class, this, null);
            LOG.info("certificate store ready: " + opened.cas().size() + " CAs, " + opened.size()
                    + " certificates; key password from " + password.origin());
            announcement.serving();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "certificate store did not open: " + e.getMessage(), e);
            announcement.failed(e.getMessage());
        }
    }

    /** A changed {@code .cfg} applies to what the store does next; reopening it (and its users) is not needed. */
    @Modified
    void modified(StoreConfiguration changed) {
        config = changed;
        PkiStore s = store;
        if (s != null) {
            try {
                s.reconfigure(settings(changed));
            } catch (IllegalArgumentException e) {
                LOG.warning("certificate store: configuration change not taken: " + e.getMessage());
            }
        }
    }

    @Override
    public PkiStore store() {
        return store;
    }

    @Override
    public String passwordOrigin() {
        return passwordOrigin;
    }

    @Override
    public Clock clock() {
        return clock;
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

    /**
     * The handle goes first, after the opener ended (so a registration it made just now is withdrawn too): SCR stops
     * the serving components as it goes, and they wait for the next open. Nothing is disabled: a disable asked for
     * while the bundle stops made SCR keep each old revision's class loader (the snmp bundle's leak, RedeployLeakIT).
     */
    @Deactivate
    void stop() {
        stopping = true;
        opener.shutdown();
        try {
            if (!opener.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warning("certificate store: opening did not finish within 60 s of the stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        announcement.withdraw();
        ServiceRegistration<StoreHandle> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first: the framework unregistered it
            }
        }
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
}
