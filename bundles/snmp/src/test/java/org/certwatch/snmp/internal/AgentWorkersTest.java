package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.snmp4j.util.WorkerTask;

class AgentWorkersTest {
    @Test
    void runsEveryTaskOnItsThreadsAndStopEndsThem() throws Exception {
        AgentWorkers workers = new AgentWorkers("test-workers", 3, 16);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        int tasks = 1_000;
        CountDownLatch done = new CountDownLatch(tasks);
        for (int i = 0; i < tasks; i++) {
            workers.execute(task(() -> {
                threads.add(Thread.currentThread().getName());
                done.countDown();
            }));
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "every task ran, though the queue holds 16");
        assertTrue(threads.stream().allMatch(n -> n.startsWith("test-workers.")), threads.toString());
        workers.stop();
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("test-workers.")),
                "no worker thread is left");
        AtomicInteger late = new AtomicInteger();
        workers.execute(task(late::incrementAndGet));
        assertFalse(workers.tryToExecute(task(late::incrementAndGet)));
        assertEquals(0, late.get(), "nothing runs after stop");
    }

    @Test
    void stopLetsTheRunningTaskFinishAndDropsTheQueuedOnes() throws Exception {
        AgentWorkers workers = new AgentWorkers("test-stop", 1, 16);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        workers.execute(task(() -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            finished.incrementAndGet();
        }));
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 5; i++) {
            workers.execute(task(finished::incrementAndGet));
        }
        assertFalse(workers.isIdle());
        Thread stopper = new Thread(workers::stop);
        stopper.start();
        // stop has cleared the queue once it waits for the worker to end
        while (stopper.getState() != Thread.State.WAITING) {
            assertTrue(stopper.isAlive(), "stop must wait for the running task");
            Thread.onSpinWait();
        }
        release.countDown();
        stopper.join(10_000);
        assertFalse(stopper.isAlive(), "stop returned");
        assertEquals(1, finished.get(), "the running task finished, the queued ones were dropped");
        assertTrue(workers.isIdle());
    }

    private static WorkerTask task(Runnable body) {
        return new WorkerTask() {
            @Override
            public void run() {
                body.run();
            }

            @Override
            public void terminate() {
            }

            @Override
            public void join() {
            }

            @Override
            public void interrupt() {
            }
        };
    }
}
