package org.certwatch.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What happened during the soak, written by the load threads: requests per kind, failed requests with
 * the bundle that serves them, and the redeploy windows.
 */
final class SoakLedger {
    /** After a bundle answers again, failures this much later still count as its redeploy's. */
    static final Duration GRACE = Duration.ofSeconds(5);

    /** A request sent at {@code sent} that failed at {@code at}. */
    record Failure(Instant sent, Instant at, String kind, String bundle, String message) {
    }

    record Window(String bundle, Instant start, Instant end) {
    }

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final List<Window> windows = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> openWindows = new ConcurrentHashMap<>();

    /** One timed answer: how long it took and how many bytes came. */
    record Timing(Instant at, String kind, Duration took, long bytes) {
    }

    private final List<Timing> timings = new CopyOnWriteArrayList<>();

    void timing(String kind, Duration took, long bytes) {
        timings.add(new Timing(Instant.now(), kind, took, bytes));
    }

    List<Timing> timings() {
        return new ArrayList<>(timings);
    }

    void request(String kind) {
        requests.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void requests(String kind, long n) {
        requests.computeIfAbsent(kind, k -> new LongAdder()).add(n);
    }

    void failure(Instant sent, String kind, String bundle, String message) {
        failures.add(new Failure(sent, Instant.now(), kind, bundle, message));
    }

    void redeployStarted(String bundle, Instant at) {
        openWindows.put(bundle, at);
    }

    void redeployEnded(String bundle, Instant at) {
        windows.add(new Window(bundle, openWindows.remove(bundle), at));
    }

    /** The failed request was in flight during a redeploy window (plus grace) of the bundle that serves it. */
    boolean excused(Failure f) {
        Instant open = openWindows.get(f.bundle());
        if (open != null && !f.at().isBefore(open)) {
            return true;
        }
        return windowOverlaps(List.of(f.bundle()), f.sent(), f.at());
    }

    /** The bundle's redeploy started after {@code since} (under way or over). */
    boolean redeployedSince(String bundle, Instant since) {
        Instant open = openWindows.get(bundle);
        return (open != null && open.isAfter(since))
                || windows.stream().anyMatch(w -> w.bundle().equals(bundle) && w.start().isAfter(since));
    }

    /** A redeploy of one of the bundles overlapped [from, to] (plus grace). */
    boolean windowOverlaps(List<String> bundles, Instant from, Instant to) {
        return windows.stream().anyMatch(w -> bundles.contains(w.bundle()) && !w.start().isAfter(to)
                && !w.end().plus(GRACE).isBefore(from));
    }

    Map<String, Long> requestCounts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    List<Failure> failures() {
        return new ArrayList<>(failures);
    }

    List<Window> windows() {
        return new ArrayList<>(windows);
    }
}
