package org.certwatch.web.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps {@code /metrics} warm on a thread of its own (owned by the web component, stopped with it): once
 * after the start, one whole scrape written nowhere ({@link Metrics#warm}: the labels of every certificate and
 * the JIT's code for them); after changes, at most once per {@link #CHANGE_DELAY_SECONDS} s, the labels of
 * new or changed certificates ({@link Metrics#prepareLabels}), so the scrape after a large import does not
 * make 100,000 labels either. A scrape meanwhile is served as before; it only finds less done.
 */
final class MetricsWarmup {
    static final long CHANGE_DELAY_SECONDS = 5;
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");

    private final Metrics metrics;
    private final long changeDelayMillis;
    private final ScheduledExecutorService thread;
    private final AtomicBoolean changePending = new AtomicBoolean();
    private volatile boolean stopping;

    MetricsWarmup(Metrics metrics) {
        this(metrics, TimeUnit.SECONDS.toMillis(CHANGE_DELAY_SECONDS));
    }

    MetricsWarmup(Metrics metrics, long changeDelayMillis) {
        this.metrics = metrics;
        this.changeDelayMillis = changeDelayMillis;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "certwatch-web-metrics-warmup");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // requests go first
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.thread = executor;
    }

    /** The warm-up after the start. */
    void start() {
        thread.execute(this::warm);
    }

    /** Certificates may have changed: their labels are made within {@link #CHANGE_DELAY_SECONDS} s. */
    void changed() {
        if (!stopping && changePending.compareAndSet(false, true)) {
            try {
                thread.schedule(this::prepare, changeDelayMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                changePending.set(false);
            }
        }
    }

    /** Cuts a warm-up short and ends the thread; waits briefly for it. */
    void stop() {
        stopping = true;
        thread.shutdownNow();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void warm() {
        long t0 = System.nanoTime();
        try {
            metrics.warm(new Discard());
            LOG.info("web: /metrics warmed up: labels of " + metrics.labelsKept() + " certificates ready in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
        } catch (Stopping e) {
            // the component stops
        } catch (IOException | RuntimeException e) {
            // e.g. a store closing under it: the first scrape makes what it needs, as it always could
            LOG.log(Level.WARNING, "web: warming /metrics up failed: " + e.getMessage(), e);
        }
    }

    private void prepare() {
        changePending.set(false);
        try {
            metrics.prepareLabels(() -> stopping);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "web: preparing /metrics labels failed: " + e.getMessage(), e);
        }
    }

    private static final class Stopping extends IOException {
        private static final long serialVersionUID = 1L;

        Stopping() {
            super("stopping");
        }
    }

    /** Where the warm-up's scrape goes: nowhere, or an end to it once the component stops. */
    private final class Discard extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            check();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
        }

        private void check() throws Stopping {
            if (stopping) {
                throw new Stopping();
            }
        }
    }
}
