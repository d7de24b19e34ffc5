package org.certwatch.monitor.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.store.CertificateStore;
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
 * Wires the monitor into the runtime. Activation only starts the scheduler thread; that thread opens
 * the outbox and the notification definitions in {@code $CERTWATCH_DATA/monitor}, loads the store
 * (catching up on thresholds crossed while the server was down), registers {@link ExpiryMonitor},
 * {@link NotificationService} and its event handler, then sleeps until the next status change or
 * until an event (store change, computer change, clock jump) wakes it. A second thread, the courier,
 * hands outbox notices to the {@link NotificationChannel} whiteboard. Both stop on deactivate.
 */
@Component(service = {}, configurationPid = "org.certwatch.monitor", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = MonitorConfiguration.class)
public final class MonitorComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");
    /** Upper bound of one sleep, so a stepped system clock (NTP) is noticed within minutes. */
    private static final long MAX_SLEEP_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** How long a redeploy waits for the scheduler and the courier to finish what they are writing or delivering. */
    private static final long STOP_GRACE_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final BundleContext context;
    private final MonitorConfiguration config;
    private final CertificateStore store;
    private final DelegatingClock clock = new DelegatingClock(null);
    private final Map<String, NotificationChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Condition courierWake = lock.newCondition();
    private final List<ServiceRegistration<?>> registrations = new CopyOnWriteArrayList<>();
    private final Thread scheduler;
    private final Thread courier;
    private volatile boolean stopping;
    private volatile boolean courierSignalled;
    private volatile EventAdmin eventAdmin;
    private volatile AuditLog auditLog;
    private volatile ComputerRegistry computerRegistry;
    private volatile MonitorEngine engine;
    private volatile Outbox outbox;

    @Activate
    public MonitorComponent(BundleContext context, MonitorConfiguration config,
            @Reference(name = "store") CertificateStore store) {
        this.context = context;
        this.config = config;
        this.store = store;
        this.scheduler = new Thread(this::schedule, "certwatch-monitor");
        this.scheduler.setDaemon(true);
        this.courier = new Thread(this::courier, "certwatch-outbox");
        this.courier.setDaemon(true);
        scheduler.start();
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindClock(Clock registryClock) {
        clock.set(registryClock);
        submit(() -> { }); // re-plan against the new clock
    }

    void unbindClock(Clock registryClock) {
        // SCR binds the replacement first
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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindAuditLog(AuditLog log) {
        this.auditLog = log;
    }

    void unbindAuditLog(AuditLog log) {
        if (this.auditLog == log) {
            this.auditLog = null;
        }
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

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChannel(NotificationChannel channel, Map<String, Object> properties) {
        channels.put(channelName(channel, properties), channel);
        signalCourier();
    }

    void unbindChannel(NotificationChannel channel, Map<String, Object> properties) {
        channels.remove(channelName(channel, properties), channel);
    }

    private static String channelName(NotificationChannel channel, Map<String, Object> properties) {
        Object name = properties.get(NotificationChannel.NAME_PROPERTY);
        return name != null ? name.toString() : channel.name();
    }

    // ---------------------------------------------------------------- scheduler thread

    private void submit(Runnable task) {
        tasks.add(task);
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void schedule() {
        try {
            while (!clock.ready() && !stopping) {
                sleep(wake, 50);
            }
            if (stopping) {
                return;
            }
            open();
        } catch (Exception e) {
            LOG.log(Level.SEVERE, "expiry monitor did not start: " + e.getMessage(), e);
            return;
        }
        while (!stopping) {
            try {
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                long next = engine.runDue();
                long wait = next == Schedule.NEVER ? MAX_SLEEP_MILLIS
                        : Math.min(MAX_SLEEP_MILLIS, Math.max(0, next * 1000 - clock.millis()));
                lock.lock();
                try {
                    if (tasks.isEmpty() && !stopping && wait > 0) {
                        wake.await(wait, TimeUnit.MILLISECONDS);
                    }
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (java.io.UncheckedIOException e) {
                // the outbox journal cannot be written (disk full): the batch waits and is retried; the
                // message names the file, a stack trace each second would only bury it
                LOG.severe("expiry monitor: " + e.getMessage() + "; retried in 1 s");
                sleepQuietly(1000);
            } catch (RuntimeException e) {
                // one bad evaluation must not stop the monitor; the store and the outbox stay intact
                LOG.log(Level.SEVERE, "expiry monitor: " + e.getMessage(), e);
                sleepQuietly(1000);
            }
        }
    }

    private void open() throws Exception {
        Path dir = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("monitor");
        Outbox box = Outbox.open(dir.resolve("journal.log"), clock, System::nanoTime, config.backoff_initial_ms(),
                config.backoff_max_ms());
        outbox = box;
        NotificationBook book = NotificationBook.open(dir.resolve("notifications.json"));
        long started = System.nanoTime();
        MonitorEngine e = new MonitorEngine(Inventory.of(store), clock, this::post, box,
                Duration.ofDays(config.warning_days()), Duration.ofDays(config.critical_days()), 1024);
        tasks.clear(); // the full load below covers what they were about
        e.load(book.all());
        engine = e;
        ComputerRegistry registry = computerRegistry;
        if (registry != null) {
            e.computersReloaded(registry);
        }
        box.onChange(this::signalCourier);
        courier.start();
        registrations.add(context.registerService(ExpiryMonitor.class, new ExpiryMonitor() {
            @Override
            public ExpirySummary summary(UserScope scope) {
                return e.summary(scope);
            }

            @Override
            public Optional<CertificateHealth> certificate(long certificateId) {
                return e.certificate(certificateId);
            }

            @Override
            public Optional<CertificateHealth> ca(long caId) {
                return e.ca(caId);
            }

            @Override
            public Optional<ComputerHealth> computer(long computerId) {
                return e.computer(computerId);
            }
        }, null));
        registrations.add(context.registerService(NotificationService.class,
                new NotificationServiceImpl(book, e, box, clock, this::audit), null));
        box.metrics.pending(box::size);
        registrations.add(context.registerService(org.certwatch.api.metrics.MetricSource.class, box.metrics, null));
        Hashtable<String, Object> handler = new Hashtable<>();
        handler.put(EventConstants.EVENT_TOPIC, new String[] {Topics.PREFIX + "certificate/*", Topics.PREFIX + "ca/*",
            Topics.COMPUTER_ADDED, Topics.COMPUTER_REPLICATED, Topics.SERVER_CERTIFICATE_CHANGED,
            Topics.CLOCK_CHANGED});
        registrations.add(context.registerService(EventHandler.class, (EventHandler) this::handle, handler));
        LOG.info("expiry monitor ready at " + clock.instant() + ": " + e.size() + " CAs and certificates scheduled in "
                + (System.nanoTime() - started) / 1_000_000 + " ms, " + box.size() + " notices in the outbox");
    }

    private void handle(Event event) {
        String topic = event.getTopic();
        if (topic.equals(Topics.CLOCK_CHANGED)) {
            submit(() -> { });
        } else if (topic.equals(Topics.SERVER_CERTIFICATE_CHANGED)) {
            submit(() -> engine.serverCertificateChanged());
        } else if (topic.equals(Topics.COMPUTER_ADDED) || topic.equals(Topics.COMPUTER_REPLICATED)) {
            Long id = number(event.getProperty("computer.id"));
            if (id != null) {
                submit(() -> engine.computerChanged(computerRegistry, id));
            }
        } else if (topic.startsWith(Topics.PREFIX + "ca/")) {
            Long id = number(event.getProperty("ca.id"));
            if (id != null && !topic.equals(Topics.CA_EXPIRING) && !topic.equals(Topics.CA_EXPIRED)) {
                submit(() -> engine.caChanged(id));
            }
        } else if (!topic.equals(Topics.CERTIFICATE_EXPIRING) && !topic.equals(Topics.CERTIFICATE_EXPIRED)) {
            Long id = number(event.getProperty("certificate.id"));
            if (id != null) {
                submit(() -> {
                    engine.certificateChanged(id);
                    engine.serverCertificateChanged();
                });
            }
        }
    }

    private static Long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return o == null ? null : Long.parseLong(o.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }

    private void audit(AuditEntry entry) {
        AuditLog log = auditLog;
        if (log != null) {
            log.append(entry);
        }
    }

    // ---------------------------------------------------------------- courier thread

    private void signalCourier() {
        lock.lock();
        try {
            courierSignalled = true;
            courierWake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void courier() {
        while (!stopping) {
            try {
                long waitNanos = outbox.deliverRound(channels::get);
                lock.lock();
                try {
                    if (!courierSignalled && !stopping) {
                        courierWake.awaitNanos(Math.min(waitNanos, TimeUnit.MINUTES.toNanos(1)));
                    }
                    courierSignalled = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "outbox delivery: " + e.getMessage(), e);
                sleepQuietly(1000);
            }
        }
    }

    private void sleep(Condition condition, long millis) throws InterruptedException {
        lock.lock();
        try {
            condition.await(millis, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis); // back-off after an unexpected error, not a stand-in for time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Deactivate
    void stop() {
        stopping = true;
        for (ServiceRegistration<?> r : new ArrayList<>(registrations)) {
            try {
                r.unregister();
            } catch (IllegalStateException ignored) {
                // already gone with the bundle
            }
        }
        registrations.clear();
        // wake them rather than interrupt them: an interrupt in the middle of a journal write closes the
        // outbox's FileChannel under it (ClosedByInterruptException); only a thread still busy after the
        // grace period (a delivery stuck in a slow peer) is interrupted
        lock.lock();
        try {
            wake.signalAll();
            courierWake.signalAll();
        } finally {
            lock.unlock();
        }
        stopWithin(scheduler, STOP_GRACE_MILLIS);
        stopWithin(courier, STOP_GRACE_MILLIS);
        Outbox box = outbox;
        if (box != null) {
            try {
                box.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the outbox failed", e);
            }
        }
    }

    private static void stopWithin(Thread t, long graceMillis) {
        try {
            t.join(graceMillis);
            if (t.isAlive()) {
                t.interrupt();
                t.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
