package org.certwatch.monitor.internal;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Capability;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.time.SwitchableClock;
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
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The monitor's runtime and its delivery. Activation starts the component's own thread ({@code certwatch-outbox}),
 * which opens the monitor ({@link OpenMonitor}: outbox and definitions from the {@link MonitorBackend}, the store
 * loaded into the engine), starts the scheduler, publishes {@link MonitorRuntime} (the bundle's public services are
 * components that reference it, so they serve an open, loaded monitor or nothing) and from then on hands the
 * outbox's notices to the {@link NotificationChannel} whiteboard this component tracks. A start that fails (the
 * database away, a lock race with another server, a file that cannot be read) never fails the activation: it is
 * logged once and tried again on the same thread with back-off, the capability {@code monitor} named as waiting
 * meanwhile. SCR does not retry a component whose activation threw, and a delivery that hung on such a component
 * (the former {@code Courier}) stayed off for good.
 *
 * <p>On a shared backend it follows the other servers' outbox records and definitions, and schedules and delivers
 * notices only while this server leads: becoming the leader catches up on the outbox journal first, then
 * re-evaluates everything against the state the old leader left. A configuration change restarts it on purpose:
 * the windows and the back-off shape every scheduled entry.
 */
@Capability(RegisteredMonitor.CAPABILITY)
// registered by hand once open; the manifest says so, as DS would for a service it registers
@org.osgi.annotation.bundle.Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"org.certwatch.monitor.internal.MonitorRuntime\"")
@Component(service = {}, immediate = true, configurationPid = "org.certwatch.monitor",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MonitorConfiguration.class)
public final class MonitorComponent implements MonitorRuntime {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");
    /** How long a redeploy waits for the scheduler and the delivery to finish what they are writing. */
    static final long STOP_GRACE_MILLIS = TimeUnit.SECONDS.toMillis(5);
    /** Longest sleep of the delivery between rounds when nothing wakes it. */
    private static final long DELIVERY_MAX_WAIT_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final MonitorBackend backend;
    private final MonitorConfiguration config;
    private final CertificateStore store;
    private final Channels channels = new Channels();
    /** Opens the monitor (retrying), then delivers; the one thread that sets {@link #open}. */
    private final Worker worker = new Worker("certwatch-outbox", this::round, this::deliveryFailed);
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog auditLog;
    private volatile ComputerRegistry computerRegistry;
    private MonitorPublication publication;
    private StartRetries retries; // the delivery thread's own
    /** Null until a start succeeded. */
    private volatile OpenMonitor open;
    private volatile Scheduler scheduler;
    /** False from losing the lease until a new one's catch-up ran: no delivery on a stale outbox. */
    private volatile boolean caughtUp = true;
    private volatile Subscription watching = () -> { };
    private volatile Subscription leadership = () -> { };

    @Activate
    public MonitorComponent(@Reference(name = "backend") MonitorBackend backend, MonitorConfiguration config,
            @Reference(name = "store") CertificateStore store) {
        this.backend = backend;
        this.config = config;
        this.store = store;
    }

    @Activate
    void activate(BundleContext context) {
        launch(new RegisteredMonitor(context));
    }

    /** Starts the thread that opens the monitor; returns at once, the start is never a failed activation. */
    void launch(MonitorPublication publication) {
        this.publication = publication;
        this.retries = new StartRetries(publication);
        worker.start();
    }

    /** One round of the component's thread: a start attempt until one succeeds, then a delivery round. */
    private long round() {
        OpenMonitor m = open;
        if (m == null) {
            return tryStart();
        }
        return Math.min(m.outbox().deliverRound(channels::get), DELIVERY_MAX_WAIT_NANOS);
    }

    /** Tries to open the monitor; returns 0 when it runs, else how long to wait before the next try. */
    private long tryStart() {
        long started = System.nanoTime();
        int attempt = retries.attempt();
        OpenMonitor m;
        try {
            m = OpenMonitor.open(backend, config, store, clock, this::post, () -> caughtUp && backend.leading());
        } catch (Exception e) {
            return retries.failed(e);
        }
        try {
            run(m);
        } catch (RuntimeException e) {
            stopRunning(); // closes m too: the next try opens anew
            return retries.failed(e);
        }
        publication.ready(this);
        LOG.info("expiry monitor ready at " + clock.instant() + ": " + m.engine().size()
                + " CAs and certificates scheduled in " + (System.nanoTime() - started) / 1_000_000 + " ms, "
                + m.outbox().size() + " notices in the outbox" + (attempt > 1 ? " (start attempt " + attempt + ")" : ""));
        return 0;
    }

    /** Starts the scheduler on the opened monitor and follows the definitions, the lease and the outbox. */
    private void run(OpenMonitor m) {
        open = m;
        ComputerRegistry registry = computerRegistry;
        if (registry != null) {
            m.engine().computersReloaded(registry);
        }
        Scheduler s = new Scheduler(m.engine(), clock);
        s.start();
        scheduler = s;
        watching = m.storage().watchDefinitions(() -> submit(this::definitionsFollowed));
        leadership = backend.onLeadershipChange(this::leadershipChanged);
        // a registry bound between the load and now is picked up by this one re-read
        submit(() -> m.engine().computersReloaded(computerRegistry));
        m.outbox().onChange(worker::signal);
    }

    private void deliveryFailed(RuntimeException e) {
        LOG.log(Level.SEVERE, "outbox delivery: " + e.getMessage(), e);
    }

    private void definitionsFollowed() {
        OpenMonitor m = open;
        if (m != null && m.book().refresh()) {
            m.engine().definitionsChanged(m.book().all());
        }
    }

    private void leadershipChanged(boolean leader) {
        // also on gaining it: until the catch-up below, this server may not have applied the old leader's last
        // acknowledgements, and delivering from that view would send them again
        caughtUp = false;
        OpenMonitor m = open;
        if (m == null) {
            return; // closing
        }
        m.outbox().leadershipChanged();
        if (leader) {
            submit(this::takeOver);
        }
    }

    /**
     * On the scheduler thread: catches up on the outbox journal, then lets the outbox deliver. A catch-up that fails
     * (the database busy or away right at the takeover) is queued again and its exception thrown for the
     * scheduler to log; dropped, it would leave this server leading with delivery off until the next takeover.
     */
    private void takeOver() {
        OpenMonitor m = open;
        if (m == null || !backend.leading()) {
            return; // closing, or lost again meanwhile: the next gain submits it anew
        }
        try {
            m.storage().catchUp();
        } catch (RuntimeException e) {
            submit(this::takeOver);
            throw e;
        }
        caughtUp = true;
        m.outbox().wake();
        m.book().refresh();
        m.engine().definitionsChanged(m.book().all());
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
        submit(() -> { }); // re-plan against the new clock
    }

    void unbindClock(Clock registryClock) {
        // mandatory: SCR binds the replacement first, or deactivates the component
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindComputerRegistry(ComputerRegistry registry) {
        this.computerRegistry = registry;
        submit(() -> open.engine().computersReloaded(registry));
    }

    void unbindComputerRegistry(ComputerRegistry registry) {
        if (this.computerRegistry == registry) {
            this.computerRegistry = null;
            submit(() -> open.engine().computersReloaded(null));
        }
    }

    /** A channel that comes wakes the delivery: the notices waiting for it go out. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChannel(NotificationChannel channel, Map<String, Object> properties) {
        channels.add(channel, properties);
        worker.signal();
    }

    void unbindChannel(NotificationChannel channel, Map<String, Object> properties) {
        channels.remove(channel, properties);
    }

    @Override
    public MonitorEngine engine() {
        return open.engine();
    }

    @Override
    public Outbox outbox() {
        return open.outbox();
    }

    @Override
    public NotificationBook book() {
        return open.book();
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ComputerRegistry computers() {
        return computerRegistry;
    }

    /** Before the start (references bound first) there is nothing to run: the start loads it all. */
    @Override
    public void submit(Runnable task) {
        Scheduler s = scheduler;
        if (s != null) {
            s.submit(task);
        }
    }

    @Override
    public void audit(AuditEntry entry) {
        AuditLog log = auditLog;
        if (log != null) {
            log.append(entry);
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    /**
     * The thread first (no start attempt, no delivery from here on), then what it published (SCR deactivates the
     * services using the runtime), then the scheduler, and the outbox last.
     */
    @Deactivate
    void deactivate() {
        worker.stop(STOP_GRACE_MILLIS);
        publication.withdraw();
        stopRunning();
    }

    private void stopRunning() {
        leadership.close();
        watching.close();
        leadership = () -> { };
        watching = () -> { };
        Scheduler s = scheduler;
        scheduler = null;
        if (s != null) {
            s.stop(STOP_GRACE_MILLIS);
        }
        OpenMonitor m = open;
        open = null;
        if (m != null) {
            m.close();
        }
    }
}
