package org.certwatch.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Capability;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.ApiTokens;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.metrics.MetricSource;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.notify.MailSettingsService;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.snmp.SnmpSettingsService;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.ready.Announcement;
import org.certwatch.commons.ready.Shutdown;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The web server's life: Jetty on {@code certwatch.bind}:{@code certwatch.https.port} with the
 * store's server certificate, started off the activation thread and stopped on deactivate; key
 * material reloaded live on {@code org/certwatch/server/CERTIFICATE_CHANGED}. Every service is optional and
 * dynamic, the store and the audit log too: pages degrade (no logins without a user directory, statuses from
 * the store's dates without a monitor), a request that needs the store or the audit log while it is gone (its
 * backend's bundle removed) is answered 503 "storage unavailable", and the port stays open with the key
 * material it has; HTTPS first opens when a store is there, and the key material is read again whenever one
 * binds (another server may have switched the server certificate meanwhile). No
 * {@code @Modified}: a changed configuration restarts this component (Jetty, and the sessions with it),
 * which no other component depends on.
 */
@Capability("web")
@Component(service = EventHandler.class, immediate = true, configurationPid = "org.certwatch.web",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "*")
@Designate(ocd = WebConfiguration.class)
public final class WebComponent implements EventHandler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");

    private final LiveServices services;
    private final WebHandler handler;
    private final ExecutorService executor;
    private final String host;
    private final int port;
    /** Where agents reach the fleet's endpoint, shown in the enrolment command. */
    final int agentPort;
    private volatile WebServer server;
    /** The SHA-256 of the server certificate HTTPS presents; touched on the control thread. */
    private String served;
    private volatile boolean stopping;
    private final Announcement announcement;
    private final BundleContext context;
    /** Null when {@code metrics.warmup} is off. */
    private final MetricsWarmup metricsWarmup;

    // what LiveServices hands out: the registry's clock (a test clock may replace it) and the optional
    // services, each replaced or cleared by DS as it comes and goes
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile UserDirectory users;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile GroupDirectory groups;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile NotificationService notifications;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile RolloverService rollovers;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MailSettingsService mailSettings;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile SnmpSettingsService snmpSettings;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LocationRegistry locations;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ApiTokens apiTokens;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FleetAdministration administration;
    /** Only while the {@code files} feature is deployed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FileWatches fileWatches;
    /** Only while the {@code tls-probe} feature is deployed. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Endpoints endpoints;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile Discovery discovery;
    /** Whiteboard: every bundle's own counters, rendered on /metrics while it is registered. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<MetricSource> metricSources = List.of();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile AuditLog audit;
    // these three also make cached lists and dashboards stale
    volatile CertificateStore store;
    volatile ComputerRegistry computers;
    volatile ExpiryMonitor monitor;

    @Activate
    public WebComponent(BundleContext context, WebConfiguration config) {
        this.context = context;
        this.services = new LiveServices(this);
        Sessions sessions = new Sessions(services.liveClock(), Duration.ofMinutes(config.session_idle_minutes()),
                config.lockout_failures(), Duration.ofSeconds(config.lockout_seconds()));
        VerifiedCredentials credentials = new VerifiedCredentials(services.liveClock(),
                Duration.ofSeconds(config.basic_cache_seconds()));
        this.handler = new WebHandler(services, sessions, credentials, new CrossSiteGuard(config.allowed_origins()),
                Duration.ofDays(config.warning_days()),
                "public".equalsIgnoreCase(config.metrics_access().trim()));
        String bind = context.getProperty(RuntimeProperties.BIND);
        this.host = bind == null || bind.isBlank() ? "0.0.0.0" : bind;
        String agent = context.getProperty(RuntimeProperties.AGENT_PORT);
        this.agentPort = agent == null || agent.isBlank() ? 2222 : Integer.parseInt(agent.trim());
        String p = context.getProperty(RuntimeProperties.HTTPS_PORT);
        this.port = p == null || p.isBlank() ? 8443 : Integer.parseInt(p.trim());
        this.announcement = new Announcement(context, "web");
        this.metricsWarmup = config.metrics_warmup() ? new MetricsWarmup(handler.metrics()) : null;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwatch-web-control");
            t.setDaemon(true);
            return t;
        });
    }

    /** Binding the port and loading the key (a PBKDF2 export) stay off the framework's start thread. */
    @Activate
    void activate() {
        executor.execute(this::start);
    }

    /** Opens HTTPS once a store holds the key material; until then the ready line names what it waits for. */
    private void start() {
        if (server != null || stopping) {
            return;
        }
        if (store == null) {
            announcement.waiting("CertificateStore");
            return;
        }
        try {
            TlsMaterial tls = TlsMaterial.load(services.store());
            WebServer s = new WebServer(host, port, tls, handler);
            s.start();
            if (stopping) {
                s.stop();
                return;
            }
            server = s;
            served = tls.certificate().fingerprint();
            LOG.info("web: listening on https://" + host + ":" + s.port() + "/ (" + s.protocols() + ")");
            announcement.serving();
            if (metricsWarmup != null) {
                metricsWarmup.start();
            }
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "web: could not start HTTPS on " + host + ":" + port + ": " + e.getMessage(), e);
            announcement.failed("HTTPS on " + host + ":" + port + ": " + e.getMessage());
        }
    }

    @Override
    public void handleEvent(Event event) {
        if (Topics.COMPUTERS_REPLICATED.equals(event.getTopic())) {
            // replications change no status: no cache invalidation (the fleet counts them)
            return;
        }
        if (Topics.USER_CHANGED.equals(event.getTopic())) {
            // a new password, a disabled or deleted user take effect at once: for verified Basic credentials
            // and for open sessions, not at their next request or when the verified old password runs out
            handler.userChanged(String.valueOf(event.getProperty("user.name")));
        }
        handler.invalidate();
        if (metricsWarmup != null) {
            metricsWarmup.changed();
        }
        if (!Topics.SERVER_CERTIFICATE_CHANGED.equals(event.getTopic())) {
            return;
        }
        control(() -> reloadTls(false));
    }

    private void reloadTls(boolean ifChanged) {
        WebServer s = server;
        if (s == null || stopping) {
            return;
        }
        try {
            TlsMaterial tls = TlsMaterial.load(services.store());
            if (ifChanged && tls.certificate().fingerprint().equals(served)) {
                return; // a store that came back with the same certificate: the running sessions stay
            }
            s.reload(tls);
            served = tls.certificate().fingerprint();
            LOG.info("web: now serving server certificate " + tls.certificate().id() + " (sha256 "
                    + tls.certificate().fingerprint() + ")");
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "web: server certificate reload failed, keeping the previous one: " + e.getMessage(), e);
        }
    }

    private void control(Runnable task) {
        try {
            executor.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException deactivating) {
            // stopping: nothing to open or reload
        }
    }

    /**
     * A store (again): HTTPS opens if it waited for one, or takes the store's server certificate, which another
     * server may have switched while this one had no store; cached pages are dropped (their rows may be stale).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(CertificateStore certificateStore) {
        store = certificateStore;
        handler.invalidate();
        if (metricsWarmup != null) {
            metricsWarmup.changed();
        }
        control(() -> {
            start();
            reloadTls(true);
        });
    }

    void unbindStore(CertificateStore certificateStore) {
        if (store == certificateStore) {
            store = null;
            if (!stopping && !Shutdown.underway(context)) { // not when this component or the server stops
                LOG.warning("web: the certificate store is gone; requests that need it are answered 503 until it is back");
            }
            handler.invalidate();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindComputers(ComputerRegistry registry) {
        computers = registry;
        handler.invalidate();
    }

    void unbindComputers(ComputerRegistry registry) {
        if (computers == registry) {
            computers = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMonitor(ExpiryMonitor expiryMonitor) {
        monitor = expiryMonitor;
        handler.invalidate();
    }

    void unbindMonitor(ExpiryMonitor expiryMonitor) {
        if (monitor == expiryMonitor) {
            monitor = null;
            handler.invalidate();
        }
    }

    @Deactivate
    void stop() {
        stopping = true;
        if (metricsWarmup != null) {
            metricsWarmup.stop();
        }
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        announcement.withdraw();
        WebServer s = server;
        server = null;
        if (s != null) {
            try {
                s.stop();
                LOG.info("web: stopped");
            } catch (Exception e) {
                LOG.log(Level.WARNING, "web: stopping Jetty failed", e);
            }
        }
    }
}
