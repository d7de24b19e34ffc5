package org.certwatch.snmp.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.snmp4j.util.WorkerPool;
import org.snmp4j.util.WorkerTask;

/**
 * The threads that answer requests, fed through one queue. SNMP4J's {@code ThreadPool} hands each
 * message to an idle thread with wait/notify on two monitors and blocks the listener until one is
 * free: about seven futex calls per request, more than its receive and send. Here the listener only
 * enqueues, and a busy worker takes the next message without being woken. A full queue blocks the
 * listener, so the kernel's receive buffer takes the overflow, as before.
 */
final class AgentWorkers implements WorkerPool {
    private static final Logger LOG = Logger.getLogger("org.certwatch.snmp");
    private static final Runnable STOP = () -> { };

    private final BlockingQueue<Runnable> queue;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile boolean stopped;

    AgentWorkers(String name, int count, int capacity) {
        this.queue = new LinkedBlockingQueue<>(capacity);
        for (int i = 0; i < count; i++) {
            // not daemons, like SNMP4J's pool: stop() ends them
            Thread t = new Thread(this::work, name + "." + i);
            threads.add(t);
            t.start();
        }
    }

    private void work() {
        while (true) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            busy.incrementAndGet();
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "SNMP request failed: " + e, e);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    @Override
    public void execute(WorkerTask task) {
        if (stopped) {
            return;
        }
        try {
            queue.put(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean tryToExecute(WorkerTask task) {
        return !stopped && queue.offer(task);
    }

    /** Drops what is still queued, lets the running requests finish and ends the threads. */
    @Override
    public void stop() {
        stopped = true;
        queue.clear();
        for (int i = 0; i < threads.size(); i++) {
            if (!queue.offer(STOP)) {
                threads.forEach(Thread::interrupt);
                break;
            }
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void cancel() {
        stopped = true;
        queue.clear();
        threads.forEach(Thread::interrupt);
    }

    @Override
    public boolean isIdle() {
        return queue.isEmpty() && busy.get() == 0;
    }
}
