package org.certwatch.fleet.internal.endpoint;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Capability;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.ready.Announcement;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.computers.EnrolmentTokens;
import org.certwatch.fleet.internal.directory.Users;
import org.certwatch.fleet.internal.policy.Policies;
import org.certwatch.fleet.internal.state.FleetConfiguration;
import org.certwatch.fleet.internal.state.FleetState;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The agents' endpoint on {@code certwatch.agent.port}: opened on this component's own thread when it
 * activates (SCR activates it on the thread that registered the store, which must not wait for a TLS
 * context and a Jetty start), stopped when it deactivates. Its TLS context follows the store on the same
 * thread: a new CA is trusted in place, a new server certificate or a deleted CA gets a new context.
 * Replication settings change live with the configuration; the thread count at the next start.
 */
@Capability("agent endpoint")
@Component(service = EventHandler.class, immediate = true, configurationPid = "org.certwatch.fleet",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = {
                EventConstants.EVENT_TOPIC + "=" + Topics.SERVER_CERTIFICATE_CHANGED,
                EventConstants.EVENT_TOPIC + "=" + Topics.CA_CREATED,
                EventConstants.EVENT_TOPIC + "=" + Topics.CA_DELETED})
@Designate(ocd = FleetConfiguration.class)
public final class AgentEndpointComponent implements EventHandler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");

    private final BundleContext context;
    private final FleetState state;
    private final Computers computers;
    private final Users users;
    private final EnrolmentTokens tokens;
    private final Policies policies;
    private final CertificateStore store;
    private volatile FleetConfiguration config;
    private ExecutorService worker;
    private AgentTrustManager trust;
    private volatile AgentEndpoint endpoint;
    private volatile long presentedCertificateId;
    private final Announcement announcement;

    @Activate
    public AgentEndpointComponent(BundleContext context, FleetConfiguration config, @Reference(name = "state") FleetState state,
            @Reference(name = "computers") Computers computers, @Reference(name = "users") Users users, @Reference(name = "tokens") EnrolmentTokens tokens,
            @Reference(name = "policies") Policies policies, @Reference(name = "store") CertificateStore store) {
        this.context = context;
        this.announcement = new Announcement(context, "agent endpoint");
        this.config = config;
        this.state = state;
        this.computers = computers;
        this.users = users;
        this.tokens = tokens;
        this.policies = policies;
        this.store = store;
    }

    @Activate
    void start() {
        worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwatch-fleet-endpoint");
            t.setDaemon(true);
            return t;
        });
        worker.execute(this::open);
    }

    private void open() {
        try {
            AgentMessages messages = new AgentMessages(state, store, this::settings);
            trust = new AgentTrustManager(store, state.clock());
            AgentTls.Context tls = AgentTls.build(store, trust);
            presentedCertificateId = tls.serverCertificateId();
            String bind = property(RuntimeProperties.BIND, "0.0.0.0");
            int port = Integer.parseInt(property(RuntimeProperties.AGENT_PORT, "2222"));
            AgentEndpoint started = new AgentEndpoint(bind, port, config.threads(), tls.context(), messages,
                    new Enrolment(state, tokens, store, messages, this::settings),
                    new Replication(state, computers, policies, store, messages, this::settings));
            started.start();
            endpoint = started;
            LOG.info("agent endpoint listening on " + bind + ":" + started.port() + " (server certificate "
                    + tls.serverCertificateId() + ", " + tls.trustedCas() + " trusted CAs); fleet has "
                    + computers.computerCount() + " computers, " + users.users().size() + " users");
            announcement.serving();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "agent endpoint did not open: " + e.getMessage(), e);
            announcement.failed(e.getMessage());
        }
    }

    @Modified
    void modified(FleetConfiguration config) {
        this.config = config;
    }

    private Replication.Settings settings() {
        FleetConfiguration c = config;
        return new Replication.Settings(c.replication_interval_seconds(), c.early_interval_seconds(),
                c.capacity_per_second(), c.max_clock_skew_seconds());
    }

    @Override
    public void handleEvent(Event event) {
        try {
            // queued behind the opening, so a change made while the endpoint opens is not lost
            worker.execute(Topics.CA_CREATED.equals(event.getTopic()) ? this::trustNewCa : this::reloadTls);
        } catch (RejectedExecutionException stopped) {
            // deactivated: the next start reads the store anyway
        }
    }

    /**
     * A new CA only adds trust: the running TLS context keeps its sessions, so agents resume instead of
     * making a full handshake each (a CA created for a rollover would otherwise cost the whole fleet one).
     */
    private void trustNewCa() {
        if (endpoint == null) {
            return;
        }
        try {
            trust.trust(AgentTls.trustedCas(store));
            LOG.info("agent endpoint now trusts " + trust.trustedCount() + " CAs (TLS sessions kept)");
        } catch (Exception ex) {
            LOG.log(Level.SEVERE, "agent endpoint could not take the new CA into its trust: " + ex.getMessage(), ex);
        }
    }

    /** A new server certificate or a deleted CA: a new TLS context, so no session outlives the change. */
    private void reloadTls() {
        AgentEndpoint e = endpoint;
        if (e == null) {
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

    private String property(String name, String fallback) {
        String v = context.getProperty(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @Deactivate
    void stop() {
        worker.shutdown(); // lets an opening finish first, so its endpoint is stopped below
        try {
            worker.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        announcement.withdraw();
        AgentEndpoint e = endpoint;
        endpoint = null;
        if (e != null) {
            e.stop();
        }
    }
}
