package org.certwatch.fleet.internal.state;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.certwatch.api.Topics;

/**
 * Replications announced together: one {@link Topics#COMPUTERS_REPLICATED} event at most once a second
 * naming the computers that replicated since the last one, instead of an event per replication (which
 * cost every replication an EventAdmin dispatch to handlers that, but for the SNMP table's replication
 * columns, had nothing to do). The first replication after a quiet second schedules the announcement; the
 * thread it runs on is this object's, started on demand, gone after 10 idle seconds and stopped by
 * {@link #close}.
 */
final class ReplicationBatch implements AutoCloseable {
    /** Runs a task one second later. */
    @FunctionalInterface
    interface Later {
        void run(Runnable task);
    }

    private final BiConsumer<String, Map<String, Object>> post;
    private final Later later;
    private final ScheduledThreadPoolExecutor executor;
    private final Set<Long> pending = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final LongAdder total = new LongAdder();

    ReplicationBatch(BiConsumer<String, Map<String, Object>> post) {
        this.post = post;
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "certwatch-fleet-replications");
            t.setDaemon(true);
            return t;
        });
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        this.later = task -> executor.schedule(task, 1, TimeUnit.SECONDS);
    }

    /** With a hand-driven scheduler (tests). */
    ReplicationBatch(BiConsumer<String, Map<String, Object>> post, Later later) {
        this.post = post;
        this.later = later;
        this.executor = null;
    }

    void add(long computerId) {
        total.increment();
        addElsewhere(computerId);
    }

    /** A replication another server served: announced here too (its rows refresh), counted there. */
    void addElsewhere(long computerId) {
        pending.add(computerId);
        if (scheduled.compareAndSet(false, true)) {
            try {
                later.run(this::announce);
            } catch (RejectedExecutionException closed) {
                // stopping: nobody is left to tell
            }
        }
    }

    long total() {
        return total.sum();
    }

    /** Cleared before the ids are taken: an id added meanwhile is in this event or schedules the next. */
    private void announce() {
        scheduled.set(false);
        long[] ids = new long[Math.max(16, pending.size())];
        int n = 0;
        for (Iterator<Long> it = pending.iterator(); it.hasNext(); ) {
            if (n == ids.length) {
                ids = Arrays.copyOf(ids, n * 2);
            }
            ids[n++] = it.next();
            it.remove();
        }
        if (n > 0) {
            post.accept(Topics.COMPUTERS_REPLICATED, Map.of("computer.ids", Arrays.copyOf(ids, n), "count", n));
        }
        if (!pending.isEmpty() && scheduled.compareAndSet(false, true)) {
            later.run(this::announce); // one that came while the ids were taken
        }
    }

    @Override
    public void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
