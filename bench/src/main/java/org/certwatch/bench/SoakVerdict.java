package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The soak's checks, printed and written to {@code target/soak/report.md}: notices against what the
 * receivers got, failed requests outside redeploy windows, heap/metaspace/threads of the first and
 * last minute, errors in the server log.
 */
final class SoakVerdict {
    static final double MAX_GROWTH = 0.05;
    private static final Pattern LOG_ERROR = Pattern.compile("\\b(ERROR|SEVERE)\\b");

    /** Everything the checks look at. */
    record Inputs(Instant loadStart, Instant loadEnd, long seed, String setup, Map<String, JournalTail.Created> notices,
            List<MailReceiver.Receipt> mails, List<InformReceiver.Receipt> informs, SoakLedger ledger,
            List<ServerVitals.Sample> vitals, Map<String, Integer> firstThreads, Map<String, Integer> lastThreads,
            List<String> log, int redeploys, int soakCertificates, boolean drained) {
    }

    private final List<String> lines = new ArrayList<>();
    private boolean ok = true;

    boolean ok() {
        return ok;
    }

    private void check(boolean pass, String text) {
        ok &= pass;
        lines.add("- " + (pass ? "PASS" : "FAIL") + " " + text);
    }

    private void note(String text) {
        lines.add(text);
    }

    static SoakVerdict judge(Inputs in) {
        SoakVerdict v = new SoakVerdict();
        v.note("# certwatch soak");
        v.note("");
        v.note(String.format(Locale.ROOT, "%s; load %s → %s (%.1f min); seed %d", in.setup(), in.loadStart(),
                in.loadEnd(), Duration.between(in.loadStart(), in.loadEnd()).toSeconds() / 60.0, in.seed()));
        v.note("");
        v.note("## Checks");
        v.note("");
        v.notices(in, "mail", in.mails().stream().map(m -> new Delivery(m.noticeId(), m.at())).toList(), 0,
                List.of("mail", "monitor"));
        // an inform repeated with the same request id is the UDP retry of one delivery, not a second one
        Map<String, Delivery> byRequest = new LinkedHashMap<>();
        for (InformReceiver.Receipt r : in.informs()) {
            byRequest.putIfAbsent(r.noticeId() + "#" + r.requestId(), new Delivery(r.noticeId(), r.at()));
        }
        v.notices(in, "snmp", List.copyOf(byRequest.values()), in.informs().size() - byRequest.size(),
                List.of("snmp", "monitor"));
        v.check(in.drained(), "the outbox drained after the load stopped");
        v.requests(in);
        v.vitals(in);
        List<String> errors = in.log().stream().filter(l -> LOG_ERROR.matcher(l).find()).toList();
        v.check(errors.isEmpty(), errors.size() + " ERROR/SEVERE lines in the server log (the soak causes none on purpose)"
                + (errors.isEmpty() ? "" : ", first: `" + errors.get(0) + "`"));
        v.figures(in);
        return v;
    }

    private record Delivery(String noticeId, Instant at) {
    }

    private void notices(Inputs in, String channel, List<Delivery> deliveries, int retransmissions, List<String> bundles) {
        List<String> expected = in.notices().values().stream().filter(n -> n.channels().contains(channel))
                .map(JournalTail.Created::id).toList();
        Map<String, List<Instant>> received = new TreeMap<>();
        for (Delivery d : deliveries) {
            received.computeIfAbsent(d.noticeId(), k -> new ArrayList<>()).add(d.at());
        }
        List<String> lost = expected.stream().filter(id -> !received.containsKey(id)).toList();
        List<String> unknown = received.keySet().stream().filter(id -> !in.notices().containsKey(id)).toList();
        int allowed = 0;
        int resent = 0;
        java.util.Set<String> unacknowledged = unacknowledged(in.log(), channel);
        List<String> unexplained = new ArrayList<>();
        for (Map.Entry<String, List<Instant>> e : received.entrySet()) {
            List<Instant> times = e.getValue();
            if (times.size() > 1) {
                Instant first = times.stream().min(Instant::compareTo).orElseThrow();
                Instant last = times.stream().max(Instant::compareTo).orElseThrow();
                if (in.ledger().windowOverlaps(bundles, first.minusSeconds(10), last)) {
                    allowed++;
                } else if (unacknowledged.contains(e.getKey())) {
                    resent++;
                } else {
                    unexplained.add(e.getKey() + " ×" + times.size());
                }
            }
        }
        check(lost.isEmpty(), String.format("%s: %d notices journalled by the monitor, %d received, %d lost%s", channel,
                expected.size(), received.size(), lost.size(), lost.isEmpty() ? "" : " (e.g. " + lost.subList(0,
                        Math.min(5, lost.size())) + ")"));
        check(unknown.isEmpty(), channel + ": " + unknown.size() + " received notices the monitor never journalled"
                + (unknown.isEmpty() ? "" : " (e.g. " + unknown.subList(0, Math.min(5, unknown.size())) + ")"));
        check(unexplained.isEmpty(), channel + ": " + allowed + " received twice across a redeploy of " + bundles
                + " (same notice id, allowed), " + resent + " resent after the server logged that the receiver had not"
                + " acknowledged it in time (its delivery cut by a timeout: same notice id, allowed), "
                + unexplained.size() + " duplicates outside these"
                + (unexplained.isEmpty() ? "" : " (e.g. " + unexplained.subList(0, Math.min(5, unexplained.size())) + ")")
                + (retransmissions > 0 ? "; " + retransmissions + " UDP retransmissions of an inform (same request id)" : ""));
    }

    /**
     * The notices whose delivery on this channel the server logged as failed for want of an acknowledgement
     * (an inform's response, an SMTP reply): the receiver may well have them already, so the retry is the
     * at-least-once delivery the notice id exists for.
     */
    static java.util.Set<String> unacknowledged(List<String> log, String channel) {
        Pattern failed = Pattern.compile("notice (\\S+) not delivered.*: " + Pattern.quote(channel)
                + ": .*(no acknowledgement|timed out|timeout)", Pattern.CASE_INSENSITIVE);
        java.util.Set<String> ids = new java.util.TreeSet<>();
        for (String line : log) {
            java.util.regex.Matcher m = failed.matcher(line);
            if (m.find()) {
                ids.add(m.group(1));
            }
        }
        return ids;
    }

    private void requests(Inputs in) {
        Map<String, int[]> byKind = new TreeMap<>();
        List<SoakLedger.Failure> outside = new ArrayList<>();
        for (SoakLedger.Failure f : in.ledger().failures()) {
            int[] c = byKind.computeIfAbsent(f.kind(), k -> new int[2]);
            if (in.ledger().excused(f)) {
                c[0]++;
            } else {
                c[1]++;
                outside.add(f);
            }
        }
        StringBuilder text = new StringBuilder();
        byKind.forEach((k, c) -> text.append(String.format("; %s: %d inside, %d outside", k, c[0], c[1])));
        check(outside.isEmpty(), outside.size() + " failed requests outside a redeploy window of the bundle that serves them"
                + text + (outside.isEmpty() ? "" : " — first: " + outside.get(0)));
        Map<String, Integer> shown = new TreeMap<>();
        for (SoakLedger.Failure f : outside) {
            if (shown.merge(f.kind(), 1, Integer::sum) <= 5) {
                lines.add("  - " + f);
            }
        }
    }

    private void vitals(Inputs in) {
        List<ServerVitals.Sample> all = in.vitals();
        if (all.size() < 2) {
            check(false, "heap and threads: fewer than two samples");
            return;
        }
        // the first minute after one minute of warm-up: caches filled, every agent replicated once
        Instant firstStart = in.loadStart().plusSeconds(60);
        Instant firstEnd = in.loadStart().plusSeconds(120);
        Instant lastStart = in.loadEnd().minusSeconds(60);
        List<ServerVitals.Sample> first = all.stream().filter(s -> !s.at().isBefore(firstStart) && !s.at().isAfter(firstEnd))
                .toList();
        List<ServerVitals.Sample> last = all.stream().filter(s -> !s.at().isBefore(lastStart)).toList();
        if (first.isEmpty() || last.isEmpty()) {
            check(false, "heap and threads: no samples in the first or last minute");
            return;
        }
        growth("heap (old generation) used after a full GC", first, last, s -> (double) s.heapKb(), "KiB");
        growth("live threads", first, last, s -> (double) s.threads(), "");
        growth("metaspace used", first, last, s -> (double) s.metaspaceKb(), "KiB");
        int loadersFirst = (int) median(first, s -> (double) s.bundleLoaders());
        int loadersLast = (int) median(last, s -> (double) s.bundleLoaders());
        check(loadersLast <= loadersFirst, String.format(Locale.ROOT,
                "bundle class loaders after a full GC: first minute %d, last minute %d (%d redeploys; more would be old revisions kept alive)",
                loadersFirst, loadersLast, in.redeploys()));
        java.util.Set<String> names = new java.util.TreeSet<>(in.firstThreads().keySet());
        names.addAll(in.lastThreads().keySet());
        StringBuilder changed = new StringBuilder();
        for (String name : names) {
            int a = in.firstThreads().getOrDefault(name, 0);
            int b = in.lastThreads().getOrDefault(name, 0);
            if (a != b) {
                changed.append(changed.length() == 0 ? "" : ", ").append('`').append(name).append("` ").append(a).append(" → ").append(b);
            }
        }
        note("- (info) threads by name, 30 s into the load → end: " + (changed.length() == 0 ? "no change" : changed));
        double rssFirst = median(first, s -> (double) s.rssKb());
        double rssLast = median(last, s -> (double) s.rssKb());
        note(String.format(Locale.ROOT, "- (info) resident set size: %.0f MiB → %.0f MiB", rssFirst / 1024, rssLast / 1024));
    }

    private void growth(String what, List<ServerVitals.Sample> first, List<ServerVitals.Sample> last,
            java.util.function.ToDoubleFunction<ServerVitals.Sample> f, String unit) {
        double a = median(first, f);
        double b = median(last, f);
        double g = (b - a) / a;
        check(g < MAX_GROWTH, String.format(Locale.ROOT, "%s: first minute %.0f %s, last minute %.0f %s, growth %+.1f %% (< %.0f %%)",
                what, a, unit, b, unit, g * 100, MAX_GROWTH * 100));
    }

    private static double median(List<ServerVitals.Sample> samples, java.util.function.ToDoubleFunction<ServerVitals.Sample> f) {
        double[] v = samples.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private void figures(Inputs in) {
        double minutes = Duration.between(in.loadStart(), in.loadEnd()).toMillis() / 60_000.0;
        note("");
        note("## Figures");
        note("");
        note("| what | count | per minute |");
        note("| --- | --- | --- |");
        in.ledger().requestCounts().forEach((k, c) -> note(String.format(Locale.ROOT, "| %s | %,d | %,.0f |", k, c, c / minutes)));
        note(String.format(Locale.ROOT, "| notices journalled (with a channel) | %,d | %,.0f |",
                in.notices().values().stream().filter(n -> !n.channels().isEmpty()).count(),
                in.notices().values().stream().filter(n -> !n.channels().isEmpty()).count() / minutes));
        note(String.format(Locale.ROOT, "| e-mails received | %,d | %,.0f |", in.mails().size(), in.mails().size() / minutes));
        note(String.format(Locale.ROOT, "| informs received | %,d | %,.0f |", in.informs().size(), in.informs().size() / minutes));
        note(String.format(Locale.ROOT, "| soak certificates issued | %,d | %,.0f |", in.soakCertificates(),
                in.soakCertificates() / minutes));
        note(String.format(Locale.ROOT, "| bundle redeploys | %d | %.1f |", in.redeploys(), in.redeploys() / minutes));
        List<SoakLedger.Timing> scrapes = in.ledger().timings().stream().filter(t -> t.kind().equals("metrics")).toList();
        if (!scrapes.isEmpty()) {
            double[] ms = scrapes.stream().mapToDouble(t -> t.took().toMillis()).sorted().toArray();
            note("");
            note(String.format(Locale.ROOT, "`/metrics` scrapes (every 30 s): %d, median %.1f s, max %.1f s, %,d bytes (gzip) each",
                    ms.length, ms[ms.length / 2] / 1000, ms[ms.length - 1] / 1000, scrapes.get(scrapes.size() - 1).bytes()));
        }
        note("");
        note("Redeploy windows (jar replaced → serving again):");
        note("");
        for (SoakLedger.Window w : in.ledger().windows()) {
            note(String.format(Locale.ROOT, "- %s at %s: %,d ms", w.bundle(), w.start(), Duration.between(w.start(), w.end()).toMillis()));
        }
        note("");
        note("Server vitals (after a full GC, every 15 s):");
        note("");
        note("| time | heap used KiB | metaspace KiB | threads | RSS KiB |");
        note("| --- | --- | --- | --- | --- |");
        for (ServerVitals.Sample s : in.vitals()) {
            note(String.format(Locale.ROOT, "| %s | %,d | %,d | %d | %,d |", s.at(), s.heapKb(), s.metaspaceKb(), s.threads(), s.rssKb()));
        }
    }

    String text() {
        return String.join("\n", lines) + "\n";
    }

    void write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("report.md"), text());
    }
}
