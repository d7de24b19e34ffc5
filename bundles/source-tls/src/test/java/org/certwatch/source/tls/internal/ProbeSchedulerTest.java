package org.certwatch.source.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;

/** The schedule on a clock moved by hand: intervals, the per-host limit, check-now and removal. */
class ProbeSchedulerTest {
    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private final SettableClock clock = new SettableClock(START);

    private static Endpoint endpoint(String id, String host, Duration interval) {
        return new Endpoint(id, host, 443, "", EndpointProtocol.TLS, "All", interval, "", false, "", START);
    }

    private static Schedule schedule(int concurrency, int perHost) {
        return new Schedule(Duration.ofHours(1), Duration.ofSeconds(10), 0, concurrency, perHost);
    }

    /** The clock moves only once no check is under way: a check's next due time counts from its end. */
    private static void advance(SettableClock clock, ProbeScheduler s, Duration by) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (s.running() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertEquals(0, s.running());
        clock.advance(by);
        s.wake();
    }

    @Test
    void eachEndpointIsCheckedAgainAfterItsInterval() throws Exception {
        BlockingQueue<String> checks = new LinkedBlockingQueue<>();
        ProbeScheduler s = new ProbeScheduler(clock, () -> schedule(4, 4), e -> checks.add(e.id()),
                new SplittableRandom(1));
        s.start();
        try {
            s.put(endpoint("1", "a.example", Duration.ofMinutes(1)), START);
            s.put(endpoint("2", "b.example", null), START);
            assertEquals(List.of("1", "2"), List.of(checks.poll(10, TimeUnit.SECONDS), checks.poll(10, TimeUnit.SECONDS))
                    .stream().sorted().toList());
            assertEquals(null, checks.poll(300, TimeUnit.MILLISECONDS));
            advance(clock, s, Duration.ofMinutes(1));
            assertEquals("1", checks.poll(10, TimeUnit.SECONDS));
            assertEquals(null, checks.poll(300, TimeUnit.MILLISECONDS));
            advance(clock, s, Duration.ofMinutes(59));
            assertEquals(List.of("1", "2"), List.of(checks.poll(10, TimeUnit.SECONDS), checks.poll(10, TimeUnit.SECONDS))
                    .stream().sorted().toList());
            // check now, and a removed endpoint is never checked again
            s.checkNow("2");
            assertEquals("2", checks.poll(10, TimeUnit.SECONDS));
            s.remove("1");
            advance(clock, s, Duration.ofHours(2));
            assertEquals("2", checks.poll(10, TimeUnit.SECONDS));
            assertEquals(null, checks.poll(300, TimeUnit.MILLISECONDS));
        } finally {
            s.stop(5_000);
        }
    }

    @Test
    void oneHostGetsAtMostItsLimitAndTheOthersGoOn() throws Exception {
        ConcurrentHashMap<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger mostOnA = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch otherHost = new CountDownLatch(1);
        CountDownLatch all = new CountDownLatch(6);
        ProbeScheduler s = new ProbeScheduler(clock, () -> schedule(4, 2), e -> {
            int now = running.computeIfAbsent(e.host(), h -> new AtomicInteger()).incrementAndGet();
            if (e.host().equals("a.example")) {
                mostOnA.accumulateAndGet(now, Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            } else {
                otherHost.countDown();
            }
            running.get(e.host()).decrementAndGet();
            all.countDown();
        }, new SplittableRandom(1));
        s.start();
        try {
            for (int i = 1; i <= 5; i++) {
                s.put(endpoint(Integer.toString(i), "a.example", null), START);
            }
            s.put(endpoint("6", "b.example", null), START);
            assertTrue(otherHost.await(10, TimeUnit.SECONDS), "b.example waited for a.example");
            Thread.sleep(200);
            assertEquals(2, running.get("a.example").get());
            release.countDown();
            assertTrue(all.await(10, TimeUnit.SECONDS));
            assertEquals(2, mostOnA.get());
        } finally {
            s.stop(5_000);
        }
    }
}
