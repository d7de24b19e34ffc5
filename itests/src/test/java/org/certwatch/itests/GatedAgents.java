package org.certwatch.itests;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.certwatch.agent.Agent;

/**
 * Agents replicating in a loop on a few threads, each replication taking a permit, so a test decides how many
 * replications happen before a fault (no sleeping): {@link #allow} a number, observe their effect on the server, then
 * {@link #release} the rest and wait for {@link #awaitServedAfterRelease} — the agents are then mid-stream, several
 * replications in flight, when the test kills the server. A thread stops at the first replication that fails (the
 * server is gone), recording which agent's replication was cut.
 */
final class GatedAgents implements AutoCloseable {
    private static final int UNBOUNDED = Integer.MAX_VALUE / 2;

    private final Semaphore permits = new Semaphore(0);
    private final AtomicInteger served = new AtomicInteger();
    private final CountDownLatch servedAfterRelease = new CountDownLatch(1);
    private final Map<Path, String> cut = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean released;

    GatedAgents(List<Agent> agents, int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            List<Agent> own = agents.subList(t * agents.size() / threadCount, (t + 1) * agents.size() / threadCount);
            Thread thread = new Thread(() -> run(own), "gated-agents-" + t);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
    }

    private void run(List<Agent> own) {
        try {
            while (true) {
                for (Agent a : own) {
                    permits.acquire();
                    boolean afterRelease = released;
                    Agent.Outcome o = a.replicate();
                    if (!o.ok()) {
                        cut.put(a.folder(), o.message());
                        return;
                    }
                    served.incrementAndGet();
                    if (afterRelease) {
                        servedAfterRelease.countDown();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Lets {@code count} more replications go. */
    void allow(int count) {
        permits.release(count);
    }

    /** Lets every thread replicate as fast as the server answers, until a replication fails. */
    void release() {
        released = true;
        permits.release(UNBOUNDED);
    }

    /** Waits until a replication that began after {@link #release} was answered. */
    void awaitServedAfterRelease() throws InterruptedException {
        if (!servedAfterRelease.await(2, TimeUnit.MINUTES)) {
            throw new AssertionError("no replication answered after the release (" + served.get() + " in all)");
        }
    }

    int served() {
        return served.get();
    }

    /** The agents (their folders) whose replication failed, and why: those in flight when the server died. */
    Map<Path, String> cut() {
        return Map.copyOf(cut);
    }

    /** Waits until every thread stopped at its failed replication (the server must be gone by then). */
    void awaitStopped() throws InterruptedException {
        for (Thread t : threads) {
            t.join(TimeUnit.MINUTES.toMillis(2));
            if (t.isAlive()) {
                throw new AssertionError(t.getName() + " still replicating two minutes after the server died");
            }
        }
    }

    @Override
    public void close() {
        threads.forEach(Thread::interrupt);
    }
}
