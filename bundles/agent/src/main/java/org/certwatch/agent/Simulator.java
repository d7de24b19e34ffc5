package org.certwatch.agent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * N independent agents in one JVM, each with its own folder, key and certificate
 * ({@code DIR/agent-00001} …), run by a bounded pool of threads. Used by {@code --simulate N}, the
 * integration tests and the benchmark. Rounds can be driven explicitly ({@link #round}) or the agents
 * run on their own schedules ({@link #start}).
 */
public final class Simulator implements AutoCloseable {
    private final List<Agent> agents = new ArrayList<>();
    private final int threads;
    private final ExecutorService pool;
    private ScheduledExecutorService scheduler;

    public Simulator(Path dir, String server, int port, int count, int threads, Clock clock) throws IOException {
        this.threads = threads;
        for (int i = 1; i <= count; i++) {
            String name = String.format("sim-%05d", i);
            agents.add(new Agent(dir.resolve("agent-" + String.format("%05d", i)), server, port, name, clock));
        }
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "agent-sim-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public List<Agent> agents() {
        return agents;
    }

    public Simulator resume(boolean value) {
        agents.forEach(a -> a.resume(value));
        return this;
    }

    public Simulator tls(TlsVersion version) {
        agents.forEach(a -> a.tls(version));
        return this;
    }

    /** Enrols every agent not yet enrolled with the token (usable that many times); returns the failures. */
    public List<String> enrolAll(String token) throws InterruptedException {
        List<Future<String>> results = new ArrayList<>();
        for (Agent a : agents) {
            if (!a.enrolled()) {
                results.add(pool.submit(() -> {
                    try {
                        a.enrol(token);
                        return null;
                    } catch (IOException e) {
                        return a.folder().getFileName() + ": " + e.getMessage();
                    }
                }));
            }
        }
        return collect(results);
    }

    /** One replication of every agent, as fast as the pool allows; the outcomes in agent order. */
    public List<Agent.Outcome> round() throws InterruptedException {
        List<Future<Agent.Outcome>> results = new ArrayList<>();
        for (Agent a : agents) {
            results.add(pool.submit(a::replicate));
        }
        List<Agent.Outcome> out = new ArrayList<>();
        for (Future<Agent.Outcome> f : results) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                out.add(new Agent.Outcome(false, 0, String.valueOf(e.getCause()), 10, 0, 0));
            }
        }
        return out;
    }

    /** Each agent replicates at the interval the server gives it, spread over the first interval. */
    public synchronized void start(Consumer<String> log) {
        scheduler = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "agent-sim-scheduler");
            t.setDaemon(true);
            return t;
        });
        long spread = Math.max(1, 1000L * 60 / Math.max(1, agents.size()));
        for (int i = 0; i < agents.size(); i++) {
            Agent a = agents.get(i);
            schedule(a, Math.min(i * spread, 60_000L), log);
        }
    }

    private void schedule(Agent agent, long delayMillis, Consumer<String> log) {
        scheduler.schedule(() -> pool.execute(() -> {
            Agent.Outcome o = agent.replicate();
            if (!o.ok() || o.appliedPolicy() != 0) {
                log.accept(agent.folder().getFileName() + ": " + o.message());
            }
            if (!scheduler.isShutdown()) {
                schedule(agent, o.interval() * 1000L, log);
            }
        }), delayMillis, TimeUnit.MILLISECONDS);
    }

    private static <T> List<T> collect(List<Future<T>> results) throws InterruptedException {
        List<T> failures = new ArrayList<>();
        for (Future<T> f : results) {
            try {
                T r = f.get();
                if (r != null) {
                    failures.add(r);
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return failures;
    }

    public int threads() {
        return threads;
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        pool.shutdownNow();
    }
}
