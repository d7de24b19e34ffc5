package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The one report of {@code ./certwatch bench}: {@code report.md} (for people) and {@code report.json}
 * (for tools), from the same figures. Besides the machine it records the load average before each
 * benchmark: above the core count means other work shared the machine, so the figures are lower bounds.
 */
final class Report {
    private final Path folder;
    private final Instant started = Instant.now();
    private final List<Section> sections = new ArrayList<>();

    /** One benchmark's outcome: its figures, or why it failed. */
    private record Section(String bench, List<Figure> figures, String failure, double loadBefore, double seconds) {
    }

    Report(Path folder) {
        this.folder = folder;
    }

    void add(String bench, List<Figure> figures, String failure, double loadBefore, double seconds) {
        sections.add(new Section(bench, figures, failure, loadBefore, seconds));
    }

    /** True when a benchmark failed (the run exits non-zero). */
    boolean failed() {
        return sections.stream().anyMatch(s -> s.failure != null);
    }

    static String machine() {
        return Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + " " + System.getProperty("os.arch");
    }

    /** The 1-minute load average (NaN where the OS does not tell). */
    static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    void write() throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("report.md"), markdown());
        Files.writeString(folder.resolve("report.json"), json());
    }

    String markdown() {
        StringBuilder md = new StringBuilder("# certwatch benchmark report\n\n")
                .append("Run ").append(started).append(" on ").append(machine()).append(".\n")
                .append("Each figure: median of its samples (n), min–max; the anchor measured side by side in the same")
                .append(" run; ratio = certwatch median / anchor median; the target and whether the median meets it.\n\n")
                .append("| benchmark | time | load average before | outcome |\n| --- | --- | --- | --- |\n");
        for (Section s : sections) {
            md.append("| ").append(s.bench).append(" | ").append(String.format(Locale.ROOT, "%.0f s", s.seconds))
                    .append(" | ").append(String.format(Locale.ROOT, "%.2f", s.loadBefore)).append(" | ")
                    .append(s.failure == null ? s.figures.size() + " figures" : "FAILED: " + s.failure.replace('|', '/'))
                    .append(" |\n");
        }
        md.append("\n| figure | median | min–max | n | anchor | anchor median | ratio | target | verdict |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Section s : sections) {
            for (Figure f : s.figures) {
                boolean anchored = !f.anchorSamples().isEmpty();
                md.append("| ").append(f.name())
                        .append(" | ").append(fmt(f.median())).append(' ').append(f.unit())
                        .append(" | ").append(fmt(Figure.min(f.samples()))).append('–').append(fmt(Figure.max(f.samples())))
                        .append(" | ").append(f.samples().size())
                        .append(" | ").append(f.anchorName().isEmpty() ? "—" : f.anchorName())
                        .append(" | ").append(anchored ? fmt(f.anchorMedian()) + " " + f.unit() + " (n " + f.anchorSamples().size() + ")" : "—")
                        .append(" | ").append(anchored ? String.format(Locale.ROOT, "%.2f×", f.ratio()) : "—")
                        .append(" | ").append(f.target())
                        .append(" | ").append(verdict(f))
                        .append(" |\n");
            }
        }
        long missed = sections.stream().flatMap(s -> s.figures.stream())
                .filter(f -> Boolean.FALSE.equals(f.verdict().met())).count();
        md.append("\n").append(missed == 0 ? "Every target met." : missed + " target(s) missed.");
        if (sections.stream().anyMatch(s -> s.loadBefore > Runtime.getRuntime().availableProcessors())) {
            md.append(" The load average exceeded the core count before some benchmarks: the machine was shared,")
                    .append(" so those figures are lower bounds.");
        }
        return md.append('\n').toString();
    }

    private static String verdict(Figure f) {
        Figure.Verdict v = f.verdict();
        String text = v.met() == null ? "—" : v.met() ? "✓ met" : "✗ " + v.text();
        return f.samples().size() < Figure.MIN_SAMPLES ? text + " (only " + f.samples().size() + " samples)" : text;
    }

    private String json() {
        String benches = sections.stream().map(s -> String.format(Locale.ROOT,
                "{\"name\":%s,\"seconds\":%s,\"loadBefore\":%s,\"failure\":%s}", quote(s.bench), num(s.seconds),
                num(s.loadBefore), s.failure == null ? "null" : quote(s.failure)))
                .collect(Collectors.joining(",\n  "));
        String figures = sections.stream().flatMap(s -> s.figures.stream().map(f -> figureJson(s.bench, f)))
                .collect(Collectors.joining(",\n  "));
        return "{\"started\":" + quote(started.toString()) + ",\"machine\":" + quote(machine()) + ",\"cores\":"
                + Runtime.getRuntime().availableProcessors() + ",\n\"benchmarks\":[\n  " + benches
                + "\n],\n\"figures\":[\n  " + figures + "\n]}\n";
    }

    private static String figureJson(String bench, Figure f) {
        Figure.Verdict v = f.verdict();
        return String.format(Locale.ROOT,
                "{\"bench\":%s,\"name\":%s,\"unit\":%s,\"median\":%s,\"min\":%s,\"max\":%s,\"samples\":%s,\"anchor\":%s,"
                        + "\"anchorMedian\":%s,\"anchorSamples\":%s,\"ratio\":%s,\"target\":%s,\"met\":%s,\"verdict\":%s}",
                quote(bench), quote(f.name()), quote(f.unit()), num(f.median()), num(Figure.min(f.samples())),
                num(Figure.max(f.samples())), f.samples(), quote(f.anchorName()), num(f.anchorMedian()),
                f.anchorSamples(), num(f.ratio()), quote(f.target()), v.met(), quote(v.text()));
    }

    private static String fmt(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "null";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
