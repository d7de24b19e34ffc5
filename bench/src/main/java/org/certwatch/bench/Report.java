package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Writes the figures as {@code report.md} (for people) and {@code report.json} (for tools). */
final class Report {
    private Report() {
    }

    static void write(Path folder, List<Figure> figures) throws IOException {
        Files.createDirectories(folder);
        String machine = Runtime.getRuntime().availableProcessors() + " cores, Java " + System.getProperty("java.version")
                + " (" + System.getProperty("java.vm.name") + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch");
        StringBuilder md = new StringBuilder("# certwatch benchmark report\n\n")
                .append("Run ").append(Instant.now()).append(" on ").append(machine).append(".\n")
                .append("Medians of the samples; anchors measured side by side in the same run.\n\n")
                .append("| figure | median | min–max | n | anchor | anchor median | ratio | target |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (Figure f : figures) {
            md.append("| ").append(f.name())
                    .append(" | ").append(fmt(f.median())).append(' ').append(f.unit())
                    .append(" | ").append(fmt(Figure.min(f.samples()))).append('–').append(fmt(Figure.max(f.samples())))
                    .append(" | ").append(f.samples().size())
                    .append(" | ").append(f.anchorName().isEmpty() ? "—" : f.anchorName())
                    .append(" | ").append(f.anchorSamples().isEmpty() ? "—" : fmt(f.anchorMedian()) + " " + f.unit())
                    .append(" | ").append(f.anchorSamples().isEmpty() ? "—" : String.format(Locale.ROOT, "%.2f×", f.ratio()))
                    .append(" | ").append(f.target())
                    .append(" |\n");
        }
        Files.writeString(folder.resolve("report.md"), md);
        String json = figures.stream().map(f -> String.format(Locale.ROOT,
                "{\"name\":%s,\"unit\":%s,\"median\":%s,\"min\":%s,\"max\":%s,\"samples\":%s,\"anchor\":%s,"
                        + "\"anchorMedian\":%s,\"anchorSamples\":%s,\"ratio\":%s,\"target\":%s}",
                quote(f.name()), quote(f.unit()), num(f.median()), num(Figure.min(f.samples())),
                num(Figure.max(f.samples())), f.samples(), quote(f.anchorName()), num(f.anchorMedian()),
                f.anchorSamples(), num(f.ratio()), quote(f.target())))
                .collect(Collectors.joining(",\n  ", "{\"machine\":" + quote(machine) + ",\"figures\":[\n  ", "\n]}\n"));
        Files.writeString(folder.resolve("report.json"), json);
        System.out.println(md);
    }

    private static String fmt(double value) {
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String num(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.4f", value) : "null";
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
