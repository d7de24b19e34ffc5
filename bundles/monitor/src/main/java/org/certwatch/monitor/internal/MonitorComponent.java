package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.time.SwitchableClock;
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
 * The monitor's runtime. Activation opens the outbox and the notification definitions from the
 * {@link MonitorBackend} (files in {@code $CERTWATCH_DATA/monitor}, or a shared backend), loads the
 * store (catching up on thresholds crossed while the server was down) and starts the scheduler. On a
 * shared backend it follows the other servers' outbox records and definitions, and schedules and
 * delivers notices only while this server leads: becoming the leader catches up on the outbox journal
 * first, then re-evaluates everything against the state the old leader left. The bundle's services are components that reference it as
 * {@link MonitorRuntime}, which DS hands out only once this activation has completed: they serve an
 * opened, loaded monitor or nothing (no latch, no hand registration). A configuration change restarts
 * it on purpose: the windows and the back-off shape every scheduled entry.
 */
@Component(service = MonitorRuntime.class, immediate = true, configurationPid = "org.certwatch.monitor",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MonitorConfiguration.class)
public final class MonitorComponent implements MonitorRuntime {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");
    /** How long a redeploy waits for the scheduler to finish what it is writing. */
    static final long STOP_GRACE_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private final MonitorBackend backend;
    private final MonitorConfiguration config;
    private final CertificateStore store;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile EventAdmin eventAdmin;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AuditLog auditLog;
    private volatile ComputerRegistry computerRegistry;
    // set by activate, before the runtime service is registered
    private Outbox outbox;
    private NotificationBook book;
    private MonitorEngine engine;
    private volatile Scheduler scheduler;
    private MonitorStorage storage;
    /** False from losing the lease until a new one's catch-up ran: no delivery on a stale outbox. */
    private volatile boolean caughtUp = true;
    private Subscription following = () -> { };
    private Subscription watching = () -> { };
    private Subscription leadership = () -> { };

    @Activate
    public MonitorComponent(@Reference(name = "backend") MonitorBackend backend, MonitorConfiguration config,
            @Reference(name = "store") CertificateStore store) {
        this.backend = backend;
        this.config = config;
        this.store = store;
    }

    @Activate
    void activate() throws Exception {
        long started = System.nanoTime();
        try {
            storage = backend.open(config);
            outbox = Outbox.open(storage, clock, System::nanoTime, config.backoff_initial_ms(),
                    config.backoff_max_ms(), () -> caughtUp && backend.leading());
            following = storage.followJournal(outbox::applyFollowed);
            book = NotificationBook.open(storage);
            engine = new MonitorEngine(Inventory.of(store), clock, this::post, outbox,
                    Duration.ofDays(config.warning_days()), Duration.ofDays(config.critical_days()), 1024,
                    config.silent_intervals());
            engine.load(book.all());
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "expiry monitor did not start: " + e.getMessage(), e);
            following.close();
            closeOutbox();
            throw e;
        }
        ComputerRegistry registry = computerRegistry;
        if (registry != null) {
            engine.computersReloaded(registry);
        }
        Scheduler s = new Scheduler(engine, clock);
        s.start();
        scheduler = s;
        watching = storage.watchDefinitions(() -> submit(this::definitionsFollowed));
        leadership = backend.onLeadershipChange(this::leadershipChanged);
        // a registry bound between the load and now is picked up by this one re-read
        submit(() -> engine.computersReloaded(computerRegistry));
        LOG.info("expiry monitor ready at " + clock.instant() + ": " + engine.size()
                + " CAs and certificates scheduled in " + (System.nanoTime() - started) / 1_000_000 + " ms, "
                + outbox.size() + " notices in the outbox");
    }

    private void definitionsFollowed() {
        if (book.refresh()) {
            engine.definitionsChanged(book.all());
        }
    }

    private void leadershipChanged(boolean leader) {
        // also on gaining it: until the catch-up below, this server may not have applied the old leader's last
        // acknowledgements, and delivering from that view would send them again
        caughtUp = false;
        outbox.leadershipChanged();
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
        if (!backend.leading()) {
            return; // lost again meanwhile: the next gain submits it anew
        }
        try {
            storage.catchUp();
        } catch (RuntimeException e) {
            submit(this::takeOver);
            throw e;
        }
        caughtUp = true;
        outbox.wake();
        book.refresh();
        engine.definitionsChanged(book.all());
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
        submit(() -> engine.computersReloaded(registry));
    }

    void unbindComputerRegistry(ComputerRegistry registry) {
        if (this.computerRegistry == registry) {
            this.computerRegistry = null;
            submit(() -> engine.computersReloaded(null));
        }
    }

    @Override
    public MonitorEngine engine() {
        return engine;
    }

    @Override
    public Outbox outbox() {
        return outbox;
    }

    @Override
    public NotificationBook book() {
        return book;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public ComputerRegistry computers() {
        return computerRegistry;
    }

    /** Before activation (references bound first) there is nothing to run: activation loads it all. */
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

    @Deactivate
    void deactivate() {
        leadership.close();
        watching.close();
        following.close();
        Scheduler s = scheduler;
        if (s != null) {
            s.stop(STOP_GRACE_MILLIS);
        }
        closeOutbox();
    }

    private void closeOutbox() {
        Outbox box = outbox;
        if (box != null) {
            try {
                box.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the outbox failed", e);
            }
        }
    }
}
