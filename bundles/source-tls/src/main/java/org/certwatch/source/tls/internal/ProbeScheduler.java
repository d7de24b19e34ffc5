package org.certwatch.source.tls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.random.RandomGenerator;
import org.certwatch.api.source.Endpoint;

/**
 * When each endpoint is checked: one thread ({@code certwatch-tls-scheduler}) takes the earliest due endpoint off a
 * priority queue (times by the injected clock) and hands it to a bounded pool of {@code concurrency} workers
 * ({@code certwatch-tls-probe-N}), at most {@code per.host.limit} of one host at a time; an endpoint whose host is
 * busy waits for that host's next free slot. After a check the endpoint is due again after its interval plus up to
 * {@code jitter} of it. No thread per endpoint: an endpoint costs an entry and a queued ticket.
 */
final class ProbeScheduler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.source.tls");
    /** The longest the scheduler sleeps, so a moved clock is noticed even unannounced. */
    private static final long LONGEST_WAIT_MILLIS = 1_000;

    /** One endpoint's state; guarded by the scheduler's lock. Only the ticket of its current generation counts. */
    private static final class Entry {
        Endpoint endpoint;
        long generation;
        boolean running;
        boolean dueAgain;

        Entry(Endpoint endpoint) {
            this.endpoint = endpoint;
        }
    }

    /** A place in the queue; stale once its entry's generation moved on. */
    private record Ticket(Instant due, String id, long generation) {
    }

    private final Clock clock;
    private final Supplier<Schedule> schedule;
    private final Consumer<Endpoint> check;
    private final RandomGenerator random;
    private final Object lock = new Object();
    private final Map<String, Entry> entries = new HashMap<>();
    private final PriorityQueue<Ticket> queue = new PriorityQueue<>((a, b) -> a.due().compareTo(b.due()));
    private final Map<String, Integer> hostRunning = new HashMap<>();
    private final Map<String, ArrayDeque<String>> hostWaiting = new HashMap<>();
    private final ThreadPoolExecutor workers;
    private final Thread thread;
    private int running;
    private boolean stopping;

    ProbeScheduler(Clock clock, Supplier<Schedule> schedule, Consumer<Endpoint> check, RandomGenerator random) {
        this.clock = clock;
        this.schedule = schedule;
        this.check = check;
        this.random = random;
        int threads = schedule.get().concurrency();
        AtomicInteger n = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "certwatch-tls-probe-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.thread = new Thread(this::loop, "certwatch-tls-scheduler");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** A new or changed endpoint: checked at once (a fresh or changed one) or at {@code due}. */
    void put(Endpoint e, Instant due) {
        synchronized (lock) {
            Entry entry = entries.computeIfAbsent(e.id(), id -> new Entry(e));
            entry.endpoint = e;
            if (entry.running) {
                entry.dueAgain = true;
            } else {
                enqueue(entry, due);
            }
            lock.notifyAll();
        }
    }

    /** Endpoints loaded at start: spread over the jitter share of their intervals. */
    void putSpread(Endpoint e) {
        synchronized (lock) {
            put(e, clock.instant().plus(jitter(interval(e))));
        }
    }

    void remove(String id) {
        synchronized (lock) {
            entries.remove(id);
            lock.notifyAll();
        }
    }

    void checkNow(String id) {
        synchronized (lock) {
            Entry entry = entries.get(id);
            if (entry != null) {
                put(entry.endpoint, clock.instant());
            }
        }
    }

    /** The clock moved or the configuration changed: measure the wait again, size the pool again. */
    void wake() {
        int threads = schedule.get().concurrency();
        if (threads > workers.getMaximumPoolSize()) {
            workers.setMaximumPoolSize(threads);
            workers.setCorePoolSize(threads);
        } else {
            workers.setCorePoolSize(threads);
            workers.setMaximumPoolSize(threads);
        }
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    int size() {
        synchronized (lock) {
            return entries.size();
        }
    }

    /** Checks under way now. */
    int running() {
        synchronized (lock) {
            return running;
        }
    }

    private void loop() {
        synchronized (lock) {
            while (!stopping) {
                try {
                    long wait = dispatchDue();
                    if (wait > 0) {
                        lock.wait(wait);
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // one bad dispatch must not end the schedule
                    LOG.log(Level.WARNING, "tls probe scheduler: " + e.getMessage(), e);
                }
            }
        }
    }

    /** Under the lock: starts what is due and may start; returns how long to wait (0: look again at once). */
    private long dispatchDue() {
        Schedule s = schedule.get();
        Instant now = clock.instant();
        while (!stopping && running < s.concurrency()) {
            Ticket t = queue.peek();
            if (t == null) {
                return LONGEST_WAIT_MILLIS;
            }
            if (t.due().isAfter(now)) {
                return Math.max(1, Math.min(LONGEST_WAIT_MILLIS, Duration.between(now, t.due()).toMillis()));
            }
            queue.poll();
            Entry entry = entries.get(t.id());
            if (entry == null || entry.generation != t.generation() || entry.running) {
                continue;
            }
            String host = entry.endpoint.host();
            if (hostRunning.getOrDefault(host, 0) >= s.perHostLimit()) {
                hostWaiting.computeIfAbsent(host, h -> new ArrayDeque<>()).add(t.id());
                continue;
            }
            start(entry, host);
        }
        return stopping ? 0 : LONGEST_WAIT_MILLIS;
    }

    private void start(Entry entry, String host) {
        entry.running = true;
        running++;
        hostRunning.merge(host, 1, Integer::sum);
        Endpoint e = entry.endpoint;
        workers.execute(() -> {
            try {
                check.accept(e);
            } catch (RuntimeException failure) {
                LOG.log(Level.WARNING, "tls probe: the check of " + e.address() + " failed: " + failure.getMessage(),
                        failure);
            } finally {
                finished(e, host);
            }
        });
    }

    private void finished(Endpoint e, String host) {
        synchronized (lock) {
            running--;
            hostRunning.computeIfPresent(host, (h, n) -> n <= 1 ? null : n - 1);
            ArrayDeque<String> waiting = hostWaiting.get(host);
            if (waiting != null) {
                String next = waiting.poll();
                if (waiting.isEmpty()) {
                    hostWaiting.remove(host);
                }
                Entry other = next == null ? null : entries.get(next);
                if (other != null && !other.running) {
                    enqueue(other, clock.instant());
                }
            }
            Entry entry = entries.get(e.id());
            if (entry != null) {
                entry.running = false;
                Instant now = clock.instant();
                Instant due = entry.dueAgain ? now : now.plus(interval(entry.endpoint)).plus(jitter(interval(entry.endpoint)));
                entry.dueAgain = false;
                enqueue(entry, due);
            }
            lock.notifyAll();
        }
    }

    /** Under the lock: the entry's one valid ticket; any older one is stale from now on. */
    private void enqueue(Entry entry, Instant due) {
        entry.generation++;
        queue.add(new Ticket(due, entry.endpoint.id(), entry.generation));
    }

    private Duration interval(Endpoint e) {
        return e.interval() != null ? e.interval() : schedule.get().defaultInterval();
    }

    /** Under the lock (the random generator is not thread-safe). */
    private Duration jitter(Duration interval) {
        double share = schedule.get().jitter();
        return share <= 0 ? Duration.ZERO : Duration.ofMillis((long) (interval.toMillis() * share * random.nextDouble()));
    }

    /** Lets running checks end (each is bounded by its deadline), then ends both threads. */
    void stop(long graceMillis) {
        synchronized (lock) {
            stopping = true;
            lock.notifyAll();
        }
        workers.shutdownNow();
        try {
            thread.join(graceMillis);
            if (!workers.awaitTermination(graceMillis, TimeUnit.MILLISECONDS)) {
                LOG.warning("tls probe: checks still running after " + graceMillis + " ms at stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
