package org.certwatch.source.files.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The thread {@code certwatch-files}: the scanner's only thread. It runs submitted tasks, reads a file once no
 * event has touched it for the debounce time, and rescans everything each rescan interval; both measured by the
 * injected clock. It never waits longer than a minute, so a moved clock is noticed even unannounced.
 */
final class FilesWorker {
    private static final Logger LOG = Logger.getLogger("org.certwatch.source.files");
    private static final long LONGEST_WAIT_MILLIS = 60_000;

    private final FileScanner scanner;
    private final Clock clock;
    private final Supplier<Bounds> bounds;
    private final BooleanSupplier leading;
    private final BlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    /** Paths with events, and when they are quiet long enough to be read; the worker's thread only. */
    private final Map<Path, Instant> pending = new HashMap<>();
    private final Thread thread;
    private volatile boolean stopping;
    private Instant nextScan = Instant.MIN;
    private boolean scanLogged;

    FilesWorker(FileScanner scanner, Clock clock, Supplier<Bounds> bounds) {
        this(scanner, clock, bounds, () -> true);
    }

    /** Reads and scans only while {@code leading}: with servers sharing a backend, the leader alone reports. */
    FilesWorker(FileScanner scanner, Clock clock, Supplier<Bounds> bounds, BooleanSupplier leading) {
        this.scanner = scanner;
        this.leading = leading;
        this.clock = clock;
        this.bounds = bounds;
        this.thread = new Thread(this::loop, "certwatch-files");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void submit(Runnable task) {
        tasks.add(task);
    }

    /** An event: the path is read after the debounce time without further events. */
    void changed(Path path) {
        submit(() -> pending.put(path, clock.instant().plus(bounds.get().debounce())));
    }

    /** A full scan as soon as the worker is free (a new watch, lost events); it is logged. */
    void rescanNow() {
        submit(() -> {
            nextScan = Instant.MIN;
            scanLogged = false;
        });
    }

    private void loop() {
        while (!stopping) {
            try {
                Runnable task = tasks.poll(waitMillis(), TimeUnit.MILLISECONDS);
                while (task != null && !stopping) {
                    task.run();
                    task = tasks.poll();
                }
                runDue();
            } catch (InterruptedException | CancellationException e) {
                return;
            } catch (RuntimeException e) {
                // one bad round must not end the thread; the next rescan tries again
                LOG.log(Level.WARNING, "files source: " + e.getMessage(), e);
            }
        }
    }

    private long waitMillis() {
        Instant now = clock.instant();
        Instant next = nextScan;
        for (Instant due : pending.values()) {
            if (due.isBefore(next)) {
                next = due;
            }
        }
        long millis = next == Instant.MIN ? 0 : Duration.between(now, next).toMillis();
        return Math.max(0, Math.min(millis, LONGEST_WAIT_MILLIS));
    }

    /** Runs what is due now; package-private so tests drive it without the thread. */
    void runDue() {
        Instant now = clock.instant();
        if (!leading.getAsBoolean()) {
            // another server reports; becoming the leader asks for a full scan (rescanNow)
            pending.clear();
            nextScan = now.plus(bounds.get().rescanInterval());
            return;
        }
        for (Iterator<Map.Entry<Path, Instant>> it = pending.entrySet().iterator(); it.hasNext() && !stopping; ) {
            Map.Entry<Path, Instant> e = it.next();
            if (!e.getValue().isAfter(now)) {
                it.remove();
                scanner.changed(e.getKey());
            }
        }
        if (!stopping && !now.isBefore(nextScan)) {
            long started = System.nanoTime();
            scanner.fullScan();
            nextScan = clock.instant().plus(bounds.get().rescanInterval());
            String line = "files source: full scan of " + scanner.trackedFiles() + " files in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms";
            // a scan asked for (start, changed watches, lost events) is worth a line; the periodic ones are not
            LOG.log(scanLogged ? Level.FINE : Level.INFO, line);
            scanLogged = true;
        }
    }

    /** Runs the queued tasks on the caller's thread: for tests without the thread. */
    void drain() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
            task.run();
        }
    }

    /** Lets the current file finish, then ends the thread; interrupts only a thread stuck past the grace. */
    void stop(long graceMillis) {
        stopping = true;
        scanner.cancel();
        submit(() -> { });
        try {
            thread.join(graceMillis);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(graceMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
