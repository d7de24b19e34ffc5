package org.certwatch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.monitor.internal.MonitorBenchSupport;

/**
 * {@code ./certwatch bench monitor}: one million certificates in the expiry monitor. Anchor: the
 * same schedule built from the standard library (a {@code TreeMap} ordered by due instant plus a
 * {@code HashMap} index, boxed), measured side by side in this run.
 */
final class MonitorBench {
    static final int N = Integer.getInteger("certwatch.bench.monitor.n", 1_000_000);
    private static final int ROUNDS = Figure.MIN_SAMPLES;
    private static final int CHANGES = 20_000;

    private MonitorBench() {
    }

    static List<Figure> run() throws Exception {
        long seed = Long.getLong("certwatch.bench.seed", System.nanoTime());
        System.out.println("monitor bench: n=" + N + " seed=" + seed);
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Map<Long, CertificateInfo> certs = MonitorBenchSupport.certificates(N, seed, now);
        Path dir = Files.createTempDirectory("certwatch-monitor-bench");
        List<Double> build = new ArrayList<>();
        List<Double> anchorBuild = new ArrayList<>();
        List<Double> bytes = new ArrayList<>();
        List<Double> anchorBytes = new ArrayList<>();
        List<Double> change = new ArrayList<>();
        List<Double> anchorChange = new ArrayList<>();
        List<Double> summary = new ArrayList<>();
        ExpirySummary counts = null;
        for (int round = 0; round < ROUNDS; round++) {
            long before = usedHeap();
            try (MonitorBenchSupport m = new MonitorBenchSupport(certs, Files.createTempDirectory(dir, "r"), now)) {
                long t0 = System.nanoTime();
                m.load();
                build.add((System.nanoTime() - t0) / 1e6);
                bytes.add((usedHeap() - before) / (double) N);
                Random random = new Random(seed + round);
                long[] samples = new long[CHANGES];
                for (int i = 0; i < CHANGES; i++) {
                    long id = 1 + random.nextInt(N);
                    long t = System.nanoTime();
                    m.change(id, 30);
                    samples[i] = System.nanoTime() - t;
                }
                change.add(median(samples) / 1e3);
                long t = System.nanoTime();
                counts = m.summary();
                summary.add((System.nanoTime() - t) / 1e6);
            }
            long anchorBefore = usedHeap();
            Anchor anchor = new Anchor();
            long t0 = System.nanoTime();
            anchor.build(certs, now.getEpochSecond());
            anchorBuild.add((System.nanoTime() - t0) / 1e6);
            anchorBytes.add((usedHeap() - anchorBefore) / (double) N);
            Random random = new Random(seed + round);
            long[] samples = new long[CHANGES];
            for (int i = 0; i < CHANGES; i++) {
                long id = 1 + random.nextInt(N);
                long t = System.nanoTime();
                anchor.change(id, random.nextInt(1_000_000_000));
                samples[i] = System.nanoTime() - t;
            }
            anchorChange.add(median(samples) / 1e3);
            anchor = null;
        }
        System.out.println("summary counts: certificates " + counts.certificates() + ", next " + counts.next());
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("monitor: build the schedule of " + N + " certificates", "ms", build,
                "TreeMap+HashMap schedule", anchorBuild, "≤ 2000 ms", false));
        figures.add(new Figure("monitor: heap per certificate beyond the certificate", "B", bytes,
                "TreeMap+HashMap schedule", anchorBytes, "≤ 200 B", false));
        figures.add(new Figure("monitor: one status change (renewal re-planned), median", "µs", change,
                "TreeMap+HashMap remove+insert", anchorChange, "≤ 10 µs", false));
        figures.add(new Figure("monitor: summary counts over " + N + " certificates ("
                + counts.certificates().get(ExpiryStatus.VALID) + " valid, "
                + counts.certificates().get(ExpiryStatus.EXPIRING) + " expiring, "
                + counts.certificates().get(ExpiryStatus.EXPIRED) + " expired)", "ms", summary, "", List.of(),
                "—", false));
        return figures;
    }

    private static double median(long[] samples) {
        long[] s = samples.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, r.totalMemory() - r.freeMemory());
        }
        return used;
    }

    /** The straightforward schedule: due instant → ids, and id → due, boxed. */
    private static final class Anchor {
        final TreeMap<Long, List<Long>> byDue = new TreeMap<>();
        final HashMap<Long, Long> dueById = new HashMap<>();

        void build(Map<Long, CertificateInfo> certs, long now) {
            for (CertificateInfo c : certs.values()) {
                long na = c.notAfter().getEpochSecond();
                long due = na - 90 * 86_400L > now ? na - 90 * 86_400L : na;
                dueById.put(c.id(), due);
                byDue.computeIfAbsent(due, k -> new ArrayList<>(1)).add(c.id());
            }
        }

        void change(long id, long due) {
            Long old = dueById.put(id, due);
            if (old != null) {
                List<Long> ids = byDue.get(old);
                ids.remove(id);
                if (ids.isEmpty()) {
                    byDue.remove(old);
                }
            }
            byDue.computeIfAbsent(due, k -> new ArrayList<>(1)).add(id);
        }
    }
}
