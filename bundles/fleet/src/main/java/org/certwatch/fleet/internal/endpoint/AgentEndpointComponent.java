package org.certwatch.fleet.internal.endpoint;

import java.time.Clock;
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
import org.certwatch.commons.ready.Shutdown;
import org.certwatch.commons.time.SwitchableClock;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The agents' endpoint on {@code certwatch.agent.port}: opened on this component's own thread once the fleet's
 * state and the store are there (SCR binds them on the thread that registered the store, which must not wait for
 * a TLS context and a Jetty start), stopped when it deactivates. Those services are optional and dynamic: while
 * one is gone (its bundle, or the backend the fleet and the store keep their state in, removed) the port stays
 * open and every request is answered 503 with {@code Retry-After}, which the agent waits out; when they are back
 * the answers come from the new ones, and a store that binds again gets a new TLS context (its server certificate
 * may have changed meanwhile, and a session made while no revocation could be checked must not be resumed). Its
 * TLS context follows the store on the same thread: a new CA is trusted in place, a new server certificate or a
 * deleted CA gets a new context. Replication settings change live with the configuration; the thread count at
 * the next start.
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
    private volatile FleetConfiguration config;
    private final ExecutorService worker;
    /** The registry's best-ranked clock, for the handshakes' validity checks (also while the fleet is gone). */
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    // the services the answers come from, each null while it is gone
    private volatile FleetState state;
    private volatile Computers computers;
    private volatile Users users;
    private volatile EnrolmentTokens tokens;
    private volatile Policies policies;
    private volatile CertificateStore store;
    /** What answers the requests; null while one of the services above is gone. */
    private volatile AgentEndpoint.Handlers handlers;
    // touched on the worker only
    private AgentTrustManager trust;
    /** The store the TLS context was built from. */
    private CertificateStore tlsStore;
    private volatile AgentEndpoint endpoint;
    private volatile long presentedCertificateId;
    private final Announcement announcement;

    @Activate
    public AgentEndpointComponent(BundleContext context, FleetConfiguration config) {
        this.context = context;
        this.announcement = new Announcement(context, "agent endpoint");
        this.config = config;
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwatch-fleet-endpoint");
            t.setDaemon(true);
            return t;
        });
    }

    @Activate
    void start() {
        changed();
    }

    /**
     * A service came or went: requests are answered 503 from now on if one is missing, and the worker opens the
     * endpoint or brings its answers (and, for another store, its TLS context) up to the services there now.
     */
    private void changed() {
        if (state == null || computers == null || users == null || tokens == null || policies == null || store == null) {
            handlers = null;
        }
        try {
            worker.execute(this::refresh);
        } catch (RejectedExecutionException stopped) {
            // deactivated
        }
    }

    private void refresh() {
        FleetState s = state;
        Computers c = computers;
        Users u = users;
        EnrolmentTokens t = tokens;
        Policies p = policies;
        CertificateStore st = store;
        if (s == null || c == null || u == null || t == null || p == null || st == null) {
            handlers = null;
            if (endpoint == null && st == null) {
                announcement.waiting("CertificateStore");
            } else if (endpoint == null) {
                // silent: the ready line names what the fleet's own components wait for (SCR's view of them)
                announcement.withdraw();
            }
            return;
        }
        AgentMessages messages = new AgentMessages(s, st, this::settings);
        AgentEndpoint.Handlers h = new AgentEndpoint.Handlers(messages, new Enrolment(s, t, st, messages, this::settings),
                new Replication(s, c, p, st, messages, this::settings));
        if (endpoint == null) {
            open(h, st, c, u);
        } else {
            if (st != tlsStore && !reloadTls()) {
                // a store bound before it answers (the store bundle re-registers its service for a moment while
                // its backend goes): agents keep getting 503 until a store that answers binds
                handlers = null;
                return;
            }
            if (handlers == null) {
                LOG.info("agent endpoint: the fleet's state and the store are back; answering agents again");
            }
            handlers = h;
        }
    }

    private void open(AgentEndpoint.Handlers h, CertificateStore st, Computers c, Users u) {
        try {
            trust = new AgentTrustManager(() -> store, clock);
            AgentTls.Context tls = AgentTls.build(st, trust);
            tlsStore = st;
            presentedCertificateId = tls.serverCertificateId();
            String bind = property(RuntimeProperties.BIND, "0.0.0.0");
            int port = Integer.parseInt(property(RuntimeProperties.AGENT_PORT, "2222"));
            handlers = h;
            AgentEndpoint started = new AgentEndpoint(bind, port, config.threads(), tls.context(), () -> handlers);
            started.start();
            endpoint = started;
            LOG.info("agent endpoint listening on " + bind + ":" + started.port() + " (server certificate "
                    + tls.serverCertificateId() + ", " + tls.trustedCas() + " trusted CAs); fleet has "
                    + c.computerCount() + " computers, " + u.users().size() + " users");
            announcement.serving();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "agent endpoint did not open: " + e.getMessage(), e);
            announcement.failed(e.getMessage());
        }
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // SCR binds the replacement before unbinding the old one
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindState(FleetState s) {
        state = s;
        changed();
    }

    void unbindState(FleetState s) {
        if (state == s) {
            state = null;
            changed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindComputers(Computers c) {
        computers = c;
        changed();
    }

    void unbindComputers(Computers c) {
        if (computers == c) {
            computers = null;
            changed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindUsers(Users u) {
        users = u;
        changed();
    }

    void unbindUsers(Users u) {
        if (users == u) {
            users = null;
            changed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindTokens(EnrolmentTokens t) {
        tokens = t;
        changed();
    }

    void unbindTokens(EnrolmentTokens t) {
        if (tokens == t) {
            tokens = null;
            changed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPolicies(Policies p) {
        policies = p;
        changed();
    }

    void unbindPolicies(Policies p) {
        if (policies == p) {
            policies = null;
            changed();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(CertificateStore s) {
        store = s;
        changed();
    }

    void unbindStore(CertificateStore s) {
        if (store == s) {
            store = null;
            if (!worker.isShutdown() && !Shutdown.underway(context)) { // not when this component or the server stops
                LOG.warning("agent endpoint: the store is gone; agents are answered 503 until it is back");
            }
            changed();
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
            worker.execute(Topics.CA_CREATED.equals(event.getTopic()) ? this::trustNewCa : () -> reloadTls());
        } catch (RejectedExecutionException stopped) {
            // deactivated: the next start reads the store anyway
        }
    }

    /**
     * A new CA only adds trust: the running TLS context keeps its sessions, so agents resume instead of
     * making a full handshake each (a CA created for a rollover would otherwise cost the whole fleet one).
     */
    private void trustNewCa() {
        CertificateStore st = store;
        if (endpoint == null || st == null) {
            return;
        }
        try {
            trust.trust(AgentTls.trustedCas(st));
            LOG.info("agent endpoint now trusts " + trust.trustedCount() + " CAs (TLS sessions kept)");
        } catch (Exception ex) {
            LOG.log(Level.SEVERE, "agent endpoint could not take the new CA into its trust: " + ex.getMessage(), ex);
        }
    }

    /**
     * A new server certificate or a deleted CA: a new TLS context, so no session outlives the change.
     *
     * @return whether the store answered (the endpoint presents its server certificate now)
     */
    private boolean reloadTls() {
        AgentEndpoint e = endpoint;
        CertificateStore st = store;
        if (e == null || st == null) {
            return false;
        }
        try {
            AgentTls.Context tls = AgentTls.build(st, trust);
            e.reload(tls.context());
            tlsStore = st;
            if (tls.serverCertificateId() != presentedCertificateId) {
                LOG.info("agent endpoint now presents server certificate " + tls.serverCertificateId()
                        + " (was " + presentedCertificateId + "); " + tls.trustedCas() + " trusted CAs");
                presentedCertificateId = tls.serverCertificateId();
            } else {
                LOG.info("agent endpoint reloaded: " + tls.trustedCas() + " trusted CAs");
            }
            return true;
        } catch (Exception ex) {
            LOG.log(Level.SEVERE, "agent endpoint could not reload its TLS context: " + ex.getMessage(), ex);
            return false;
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
