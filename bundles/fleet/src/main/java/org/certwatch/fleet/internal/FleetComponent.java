package org.certwatch.fleet.internal;

import org.certwatch.commons.time.SwitchableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.FleetView;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CertificateStore;
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
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Opens the fleet state in {@code $CERTWATCH_DATA/fleet} on its own thread (the first start hashes the
 * admin password, which takes a moment), starts the agent endpoint on {@code certwatch.agent.port},
 * then registers the fleet services and Gogo commands. A flusher writes the computer snapshot at most
 * once a second; the endpoint reloads its TLS context when the server certificate or the CAs change.
 */
@Component(service = {}, configurationPid = "org.certwatch.fleet", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = FleetConfiguration.class)
public final class FleetComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");

    private final BundleContext context;
    private final CertificateStore store;
    private final AuditLog audit;
    /** The registry's best-ranked clock; a test clock arriving later takes over without a restart. */
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final CountDownLatch clockBound = new CountDownLatch(1);
    private final ScheduledExecutorService executor;
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
    private volatile FleetConfiguration config;
    private volatile EventAdmin eventAdmin;
    private volatile Fleet fleet;
    private volatile AgentEndpoint endpoint;
    private volatile AgentTrustManager trust;
    private volatile long presentedCertificateId;
    private volatile boolean stopping;

    @Activate
    public FleetComponent(BundleContext context, FleetConfiguration config, @Reference CertificateStore store,
            @Reference(name = "audit") AuditLog audit) {
        this.context = context;
        this.config = config;
        this.store = store;
        this.audit = audit;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "certwatch-fleet");
            t.setDaemon(true);
            return t;
        });
        executor.execute(this::open);
    }

    @Modified
    void modified(FleetConfiguration config) {
        this.config = config;
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
        clockBound.countDown();
    }

    void unbindClock(Clock registryClock) {
        // SCR binds the replacement before unbinding the old one
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

    private void open() {
        try {
            if (!clockBound.await(30, TimeUnit.SECONDS)) {
                LOG.severe("fleet not opened: no java.time.Clock service in the registry");
                return;
            }
            Path data = Path.of(context.getProperty(RuntimeProperties.DATA));
            FleetState state = new FleetState(data.resolve("fleet"));
            state.load();
            Fleet opened = new Fleet(state, store, clock, audit, this::post, config.password_iterations());
            opened.initialise(adminPassword(data));
            fleet = opened;
            Replication replication = new Replication(opened, this::settings, this::post);
            trust = new AgentTrustManager(store, clock);
            AgentTls.Context tls = AgentTls.build(store, trust);
            presentedCertificateId = tls.serverCertificateId();
            String bind = property(RuntimeProperties.BIND, "0.0.0.0");
            int port = Integer.parseInt(property(RuntimeProperties.AGENT_PORT, "2222"));
            AgentEndpoint started = new AgentEndpoint(bind, port, config.threads(), tls.context(), replication);
            started.start();
            endpoint = started;
            if (stopping) {
                return;
            }
            registrations.add(context.registerService(new String[] {GroupDirectory.class.getName(),
                    UserDirectory.class.getName(), ComputerRegistry.class.getName(), FleetAdministration.class.getName(),
                    FleetView.class.getName(), CaDeletionGuard.class.getName()}, opened, null));
            Dictionary<String, Object> topics = new Hashtable<>();
            topics.put(EventConstants.EVENT_TOPIC, new String[] {Topics.SERVER_CERTIFICATE_CHANGED, Topics.CA_CREATED,
                    Topics.CA_DELETED});
            registrations.add(context.registerService(EventHandler.class, event -> executor.execute(
                    Topics.CA_CREATED.equals(event.getTopic()) ? this::trustNewCa : this::reloadTls), topics));
            registrations.addAll(new FleetCommands(opened, store).register(context));
            openRollovers(opened, data);
            executor.scheduleWithFixedDelay(this::flush, 1, 1, TimeUnit.SECONDS);
            LOG.info("agent endpoint listening on " + bind + ":" + started.port() + " (server certificate "
                    + tls.serverCertificateId() + ", " + tls.trustedCas() + " trusted CAs); fleet has "
                    + opened.computers().size() + " computers, " + opened.users().size() + " users");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "fleet did not open: " + e.getMessage(), e);
        }
    }

    /** A damaged rollovers file costs the rollover service (logged, naming it), not the fleet. */
    private void openRollovers(Fleet opened, Path data) {
        RolloverFile file = new RolloverFile(data.resolve("fleet"));
        try {
            Rollovers rollovers = new Rollovers(opened, file, () -> Duration.ofHours(config.rollover_wait_hours()),
                    this::post);
            registrations.add(context.registerService(new String[] {RolloverService.class.getName(),
                    CaDeletionGuard.class.getName()}, rollovers, null));
            registrations.addAll(new RolloverCommands(rollovers).register(context));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "rollovers not available: " + file.path() + " cannot be read (" + e.getMessage()
                    + "); the file is left as it is", e);
        }
    }

    private Replication.Settings settings() {
        FleetConfiguration c = config;
        return new Replication.Settings(c.replication_interval_seconds(), c.early_interval_seconds(),
                c.capacity_per_second(), c.max_clock_skew_seconds());
    }

    /**
     * A new CA only adds trust: the running TLS context keeps its sessions, so agents resume instead of
     * making a full handshake each (a CA created for a rollover would otherwise cost the whole fleet one).
     */
    private void trustNewCa() {
        AgentTrustManager t = trust;
        if (t == null || endpoint == null || stopping) {
            return;
        }
        try {
            t.trust(AgentTls.trustedCas(store));
            LOG.info("agent endpoint now trusts " + t.trustedCount() + " CAs (TLS sessions kept)");
        } catch (Exception ex) {
            LOG.log(Level.SEVERE, "agent endpoint could not take the new CA into its trust: " + ex.getMessage(), ex);
        }
    }

    /** A new server certificate or a deleted CA: a new TLS context, so no session outlives the change. */
    private void reloadTls() {
        AgentEndpoint e = endpoint;
        if (e == null || stopping) {
            return;
        }
        try {
            AgentTls.Context tls = AgentTls.build(store, trust);
            e.reload(tls.context());
            if (tls.serverCertificateId() != presentedCertificateId) {
                LOG.info("agent endpoint now presents server certificate " + tls.serverCertificateId()
                        + " (was " + presentedCertificateId + "); " + tls.trustedCas() + " trusted CAs");
                presentedCertificateId = tls.serverCertificateId();
            } else {
                LOG.info("agent endpoint reloaded: " + tls.trustedCas() + " trusted CAs");
            }
        } catch (Exception ex) {
            LOG.log(Level.SEVERE, "agent endpoint could not reload its TLS context: " + ex.getMessage(), ex);
        }
    }

    private void flush() {
        Fleet f = fleet;
        if (f != null) {
            try {
                f.flush();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot write the computer snapshot: " + e.getMessage(), e);
            }
        }
    }

    private String property(String name, String fallback) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    /** The first-start admin password: the environment, else the launcher's initial-credentials file. */
    static char[] adminPassword(Path data) throws IOException {
        String env = System.getenv("CERTWATCH_ADMIN_PASSWORD");
        if (env != null && !env.isEmpty()) {
            return env.toCharArray();
        }
        Path file = data.resolve("initial-credentials");
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("CERTWATCH_ADMIN_PASSWORD=")) {
                    return line.substring("CERTWATCH_ADMIN_PASSWORD=".length()).trim().toCharArray();
                }
            }
        }
        return null;
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
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // gone with the bundle
            }
        }
        registrations.clear();
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        AgentEndpoint e = endpoint;
        endpoint = null;
        if (e != null) {
            e.stop();
        }
        Fleet f = fleet;
        if (f != null) {
            try {
                f.markDirty();
                f.flush();
            } catch (IOException ex) {
                LOG.log(Level.WARNING, "cannot write the computer snapshot at stop: " + ex.getMessage(), ex);
            }
        }
    }
}
