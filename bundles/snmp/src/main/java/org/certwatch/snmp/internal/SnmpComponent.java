package org.certwatch.snmp.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Capability;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.ready.Announcement;
import org.certwatch.commons.ready.Shutdown;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
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
import org.osgi.service.metatype.annotations.Designate;

/**
 * The SNMP agent's lifecycle. Activation only schedules the start on the component's own control
 * thread; every (re)configuration, start and stop runs there, one after another. A configuration
 * that does not parse is logged and leaves the running agent as it is. The store, monitor and fleet
 * services are optional and dynamic: the agent keeps answering while they come and go. Published
 * inside the bundle as {@link SnmpRuntime}; the public services are the components referencing it.
 */
@Capability("snmp")
@Component(service = SnmpRuntime.class, immediate = true, configurationPid = "org.certwatch.snmp",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SnmpConfiguration.class)
public final class SnmpComponent implements Sources, SnmpRuntime {
    private static final Logger LOG = Logger.getLogger("org.certwatch.snmp");

    private final BundleContext context;
    private final ComponentContext component;
    private final ExecutorService control;
    private final MibModel model = new MibModel(this);
    private final GroupContexts groupContexts = new GroupContexts(this::currentGroups);
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ExpiryMonitor monitor;
    private volatile CertificateStore store;
    private volatile ComputerRegistry computers;
    private volatile GroupDirectory groups;
    private volatile LocationRegistry locations;
    private volatile SnmpChannel channel;
    // touched only on the control thread
    private AgentRunner runner;
    private NotificationSender sender;
    private AgentSettings running;
    private final SnmpMetrics metrics = new SnmpMetrics();
    private final ManagedTargets managedTargets;
    private volatile Subscription watching = () -> { };
    private final SnmpSettings settings;
    private volatile SnmpConfiguration config;
    private final Announcement announcement;

    private volatile SnmpBackend backend;
    private volatile boolean active;

    @Activate
    public SnmpComponent(BundleContext context, ComponentContext component, SnmpConfiguration config) {
        this.context = context;
        this.component = component;
        this.config = config;
        this.announcement = new Announcement(context, "snmp");
        this.managedTargets = new ManagedTargets();
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwatch-snmp-control");
            t.setDaemon(true);
            return t;
        });
        this.settings = new SnmpSettings(managedTargets, () -> running, this::check, (entries, actor) -> {
            try {
                control.submit(() -> {
                    check(entries);
                    managedTargets.write(entries);
                    LOG.info("SNMP targets set at run time by " + actor + ": " + entries.size() + " in snmp/targets");
                    apply(this.config);
                    return null;
                }).get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
        });
    }

    /** After the references are bound (the constructor runs before), so the start line names the group contexts. */
    @Activate
    void activate() {
        control.execute(() -> {
            model.reloadStore();
            model.reloadComputers();
            model.reloadLocations();
            apply(config);
        });
        active = true;
    }

    /**
     * The targets' backend is optional and dynamic: without it (the PostgreSQL backend's bundle stopped or not yet
     * connected) the agent keeps answering with the targets it has, and setting targets is refused.
     */
    @Reference(name = "backend", cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindBackend(SnmpBackend b) {
        backend = b;
        managedTargets.use(b.targets());
        watching.close();
        // another server's targets: re-applied like a local change (senders reconfigured); always, not only if
        // changed() says so: a page reading the targets meanwhile would have taken the news (apply keeps an agent
        // whose settings are the same)
        watching = managedTargets.watch(() -> submit(() -> apply(this.config)));
        if (active) {
            submit(() -> apply(this.config));
        }
    }

    void unbindBackend(SnmpBackend b) {
        if (backend == b) {
            backend = null;
            watching.close();
            watching = () -> { };
            managedTargets.use(null);
        }
    }

    @Override
    public MibModel model() {
        return model;
    }

    @Override
    public SnmpSettings settings() {
        return settings;
    }

    @Override
    public SnmpMetrics metrics() {
        return metrics;
    }

    @Override
    public SnmpChannel channel() {
        return channel;
    }

    @Override
    public void groupsChanged() {
        submit(this::syncContexts);
    }

    /** The settings the configuration and {@code entries} as managed targets would give; throws IllegalArgumentException. */
    private AgentSettings check(List<String> entries) {
        Path data = Path.of(context.getProperty(RuntimeProperties.DATA));
        try {
            return AgentSettings.from(config, property(RuntimeProperties.BIND, "0.0.0.0"),
                    Integer.parseInt(property(RuntimeProperties.SNMP_PORT, "1161")), MainUser.resolve(data, System.getenv()),
                    entries);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Modified
    void modified(SnmpConfiguration config) {
        this.config = config;
        control.execute(() -> apply(config));
    }

    @Deactivate
    void deactivate() {
        active = false;
        watching.close();
        control.execute(this::stopAgent);
        control.shutdown();
        try {
            if (!control.awaitTermination(20, TimeUnit.SECONDS)) {
                LOG.warning("SNMP agent did not stop within 20 s");
                control.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        announcement.withdraw();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStore(CertificateStore s) {
        store = s;
        submit(model::reloadStore);
    }

    /**
     * The tables keep the rows they have (the last snapshot, as while the database is down) until a store binds
     * again and they are reloaded: an NMS polling meanwhile sees what was true, not certificates that vanished.
     */
    void unbindStore(CertificateStore s) {
        if (store == s) {
            store = null;
            keptWhileGone("certificate store");
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindComputers(ComputerRegistry r) {
        computers = r;
        submit(model::reloadComputers);
    }

    void unbindComputers(ComputerRegistry r) {
        if (computers == r) {
            computers = null;
            keptWhileGone("computer registry");
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindGroups(GroupDirectory g) {
        groups = g;
        submit(this::syncContexts);
    }

    /** The group contexts stay as they are until a directory binds again (their rows are the last snapshot). */
    void unbindGroups(GroupDirectory g) {
        if (groups == g) {
            groups = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLocations(LocationRegistry r) {
        locations = r;
        submit(model::reloadLocations);
    }

    void unbindLocations(LocationRegistry r) {
        if (locations == r) {
            locations = null;
            keptWhileGone("location registry");
        }
    }

    /** One line per service that goes (not while this component or the server stops): what the tables answer from. */
    private void keptWhileGone(String service) {
        if (!active || Shutdown.underway(context)) {
            return;
        }
        LOG.warning("SNMP: the " + service + " is gone (its bundle, or the backend it stores in, is not deployed);"
                + " its tables answer from the last snapshot until it is back");
    }

    @Override
    public LocationRegistry locations() {
        return locations;
    }

    @Override
    public CertificateStore store() {
        return store;
    }

    @Override
    public ExpiryMonitor monitor() {
        return monitor;
    }

    @Override
    public ComputerRegistry computers() {
        return computers;
    }

    @Override
    public GroupDirectory groups() {
        return groups;
    }

    @Override
    public Clock clock() {
        Clock c = clock;
        return c == null ? Clock.systemUTC() : c;
    }

    private void submit(Runnable task) {
        try {
            control.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "SNMP agent: " + e.getMessage(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivating
        }
    }

    private Collection<Group> currentGroups() {
        return groupsOf(groups);
    }

    private static Collection<Group> groupsOf(GroupDirectory g) {
        try {
            return g == null ? List.of() : g.groups();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void syncContexts() {
        if (runner != null) {
            groupContexts.sync(runner);
        }
    }

    /** Parses the configuration and (re)starts the agent with it; a bad one keeps the running agent. */
    private void apply(SnmpConfiguration config) {
        AgentSettings settings;
        try {
            Path data = Path.of(context.getProperty(RuntimeProperties.DATA));
            String bind = property(RuntimeProperties.BIND, "0.0.0.0");
            int port = Integer.parseInt(property(RuntimeProperties.SNMP_PORT, "1161"));
            settings = AgentSettings.from(config, bind, port, MainUser.resolve(data, System.getenv()),
                    managedTargets.read());
        } catch (Exception e) {
            LOG.severe("SNMP configuration (etc/org.certwatch.snmp.cfg) rejected, agent unchanged: " + e.getMessage());
            if (runner == null) {
                announcement.failed("configuration rejected: " + e.getMessage());
            }
            return;
        }
        if (settings.equals(running) && runner != null) {
            return;
        }
        stopAgent();
        try {
            Path folder = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("snmp");
            // one look at the directory for both the contexts and the start line: it may be bound meanwhile
            GroupDirectory directory = groups;
            runner = AgentRunner.start(settings, folder, model, groupsOf(directory), sysDescr(), metrics.requests);
            sender = new NotificationSender(settings, runner.engineId(), 0);
            running = settings;
            channel = new SnmpChannel(sender, model, runner);
            component.enableComponent(SnmpChannelComponent.NAME);
            LOG.info("SNMP agent listening on udp:" + settings.bind() + "/" + settings.port() + ", engine ID "
                    + runner.engineId().toHexString() + ", v1/v2c " + (settings.communities().isEmpty() ? "off" : "on")
                    + ", " + settings.users().size() + " SNMPv3 user(s), " + settings.targets().size()
                    + " notification target(s), group contexts "
                    // features start in any order: before the fleet there are no groups to be contexts yet
                    + (directory == null ? "none until the fleet's groups are there" : runner.contextNames()));
            announcement.serving();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "SNMP agent not started: " + e.getMessage(), e);
            stopAgent();
            announcement.failed("agent on udp:" + settings.bind() + "/" + settings.port() + ": " + e.getMessage());
        }
    }

    private void stopAgent() {
        if (channel != null) {
            channel = null;
            if (!bundleStopping()) {
                try {
                    component.disableComponent(SnmpChannelComponent.NAME);
                } catch (IllegalStateException ignored) {
                    // the bundle is stopping: the channel goes with it
                }
            }
        }
        if (sender != null) {
            sender.close();
            sender = null;
        }
        if (runner != null) {
            runner.stop();
            runner = null;
            LOG.info("SNMP agent stopped");
        }
        running = null;
    }

    /**
     * While the bundle stops, SCR disposes the channel with it, and a disable asked for now would leak: SCR forgets
     * the channel's component manager at once but drops the task that takes it out of its registry ("not active;
     * not scheduling"), so the manager, and through its class this revision's class loader, stays for good. It
     * happens whenever this component is deactivated before SCR disposes the channel: RedeployLeakIT found it while
     * the backend was a static reference (FileBackendChoice, disposed first, took the backend and this with it).
     */
    private boolean bundleStopping() {
        try {
            return context.getBundle().getState() == Bundle.STOPPING;
        } catch (IllegalStateException e) {
            return true; // the bundle context is no longer valid: stopped
        }
    }

    private String property(String name, String fallback) {
        String value = context.getProperty(name);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private String sysDescr() {
        return "certwatch " + context.getBundle().getVersion() + " certificate-lifecycle monitoring server - Java "
                + System.getProperty("java.version") + " - " + System.getProperty("os.name");
    }
}
