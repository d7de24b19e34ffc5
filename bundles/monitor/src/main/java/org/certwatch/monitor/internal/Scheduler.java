package org.certwatch.monitor.internal;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.StorageUnavailableException;

/**
 * The monitor's one scheduler thread: runs submitted changes (store, computer and clock events) in
 * order, then every entry whose status change has come, then sleeps until the next one is due.
 */
final class Scheduler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");
    /** Upper bound of one sleep, so a stepped system clock (NTP) is noticed within minutes. */
    private static final long MAX_SLEEP_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final MonitorEngine engine;
    private final Clock clock;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Worker worker;

    Scheduler(MonitorEngine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
        this.worker = new Worker("certwatch-monitor", this::round, Scheduler::failed);
    }

    void start() {
        worker.start();
    }

    /** Runs {@code task} on the scheduler thread; an empty task re-plans against the clock. */
    void submit(Runnable task) {
        tasks.add(task);
        worker.signal();
    }

    private long round() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
        long next = engine.runDue();
        long wait = next == Schedule.NEVER ? MAX_SLEEP_MILLIS
                : Math.min(MAX_SLEEP_MILLIS, Math.max(0, next * 1000 - clock.millis()));
        return TimeUnit.MILLISECONDS.toNanos(wait);
    }

    private static void failed(RuntimeException e) {
        if (e instanceof UncheckedIOException || e instanceof StorageUnavailableException) {
            // the outbox journal cannot be written (disk full, database away): the batch waits and is
            // retried; the message names the journal, a stack trace each second would only bury it
            LOG.severe("expiry monitor: " + e.getMessage() + "; retried in 1 s");
        } else {
            // one bad evaluation must not stop the monitor; the store and the outbox stay intact
            LOG.log(Level.SEVERE, "expiry monitor: " + e.getMessage(), e);
        }
    }

    void stop(long graceMillis) {
        worker.stop(graceMillis);
    }
}
