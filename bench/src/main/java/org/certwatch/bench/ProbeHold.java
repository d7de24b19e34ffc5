package org.certwatch.bench;

import static org.certwatch.bench.ProbeEndpoints.NAMES;
import static org.certwatch.bench.ProbeNginx.ADDRESSES;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.certwatch.source.tls.internal.TlsSource;

/**
 * The probe benchmark's 10,000 endpoints (the names on the ten loopback addresses of the TLS 1.2 set) watched at a
 * 60 s interval for {@code certwatch.bench.probe.holdSeconds} (180): the heap per endpoint, the longest gap between
 * two checks of one, the checks per second.
 */
final class ProbeHold {
    static final Duration HOLD = Duration.ofSeconds(Long.getLong("certwatch.bench.probe.holdSeconds", 180));
    private static final Duration INTERVAL = Duration.ofSeconds(60);

    private ProbeHold() {
    }

    static void run(Path folder, int port, List<Double> heap, List<Double> gaps, List<Double> rates)
            throws Exception {
        int endpoints = NAMES * ADDRESSES;
        ProbeEndpoints.write(folder, port, ADDRESSES, INTERVAL);
        heap.add(heapPerEndpoint(folder.resolve("heap"), port, endpoints));
        CountingRegistry registry = new CountingRegistry();
        TlsSource source = new TlsSource(folder, ProbeSettings.of(Duration.ofHours(1), false, 0.1), registry);
        source.start();
        try {
            Thread.sleep(HOLD.toMillis());
            long seconds = HOLD.toSeconds();
            rates.add(registry.reports.get() / (double) seconds);
            double longest = 0;
            int checkedTwice = 0;
            for (List<Instant> times : registry.times.values()) {
                for (int i = 1; i < times.size(); i++) {
                    longest = Math.max(longest, Duration.between(times.get(i - 1), times.get(i)).toMillis() / 1000.0);
                }
                checkedTwice += times.size() > 1 ? 1 : 0;
            }
            gaps.add(longest);
            System.out.printf("probe: 10,000 endpoints: %.0f bytes heap each, %.0f checks/s, longest gap %.1f s,"
                    + " %d endpoints checked at least twice, %d failed checks%n", Figure.last(heap),
                    Figure.last(rates), longest, checkedTwice, registry.failures.get());
            registry.assertNoFailures();
        } finally {
            source.deactivate();
        }
    }

    /**
     * The heap 10,000 kept and scheduled endpoints hold: a source whose endpoints are all due in an hour (a 1 h
     * interval, jitter 0.5: spread over 30 min, so a handful are checked meanwhile), weighed after full GCs while
     * it runs and again once it is stopped and unreachable. Weighing what its stop releases, rather than what its
     * start adds, leaves out what the earlier samples' TLS clients left behind for a later collection (softly
     * reachable session caches made the start's difference negative).
     */
    private static double heapPerEndpoint(Path folder, int port, int endpoints) throws Exception {
        ProbeEndpoints.write(folder, port, ADDRESSES, Duration.ofHours(1));
        CountingRegistry registry = new CountingRegistry();
        TlsSource source = new TlsSource(folder, ProbeSettings.of(Duration.ofHours(1), false, 0.5), registry);
        source.start();
        long running;
        try {
            running = Heap.usedAfterGc();
        } finally {
            source.deactivate();
        }
        source = null;
        return (running - Heap.usedAfterGc()) / (double) endpoints;
    }
}
