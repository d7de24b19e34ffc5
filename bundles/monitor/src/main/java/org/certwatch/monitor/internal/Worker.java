package org.certwatch.monitor.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One daemon thread that runs rounds until stopped, sleeping between them until the round's wait
 * ends or {@link #signal()} wakes it. Stopping wakes it rather than interrupting it: an interrupt in
 * the middle of a journal write closes the outbox's FileChannel under it (ClosedByInterruptException);
 * only a thread still busy after the grace period (a delivery stuck in a slow peer) is interrupted.
 */
final class Worker {
    /** One round; returns how many nanoseconds to sleep before the next unless signalled. */
    @FunctionalInterface
    interface Round {
        long run() throws InterruptedException;
    }

    private final Thread thread;
    private final Round round;
    private final Consumer<RuntimeException> onError;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean stopping;
    private boolean signalled;

    /** {@code onError} logs a failed round; the next one follows a second later. */
    Worker(String name, Round round, Consumer<RuntimeException> onError) {
        this.round = round;
        this.onError = onError;
        this.thread = new Thread(this::loop, name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (!stopping) {
            try {
                long waitNanos = round.run();
                lock.lock();
                try {
                    if (!signalled && !stopping && waitNanos > 0) {
                        wake.awaitNanos(waitNanos);
                    }
                    signalled = false;
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // one bad round must not end the thread; what it works on stays intact
                onError.accept(e);
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // back-off after an unexpected error, not a stand-in for time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wakes the thread, waits {@code graceMillis} for the round it is in, then interrupts it. */
    void stop(long graceMillis) {
        stopping = true;
        signal();
        try {
            thread.join(graceMillis);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
