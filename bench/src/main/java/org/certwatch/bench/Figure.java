package org.certwatch.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One measured figure: its samples, the anchor measured side by side in the same run, and the
 * target. {@code higherIsBetter} says which way the ratio points. The target is written for people
 * ({@code "≤ 3000 ms"}, {@code "≥ 167/s"}, {@code "≥ 0.5× snmpd"}, {@code "—"}) and read back by
 * {@link #verdict()}: a bound on the median, or (with {@code ×}) a bound on the ratio to the anchor.
 */
record Figure(String name, String unit, List<Double> samples, String anchorName, List<Double> anchorSamples,
        String target, boolean higherIsBetter) {
    /** "≤ 3000 ms", "≥ 10,000", "≥ 0.3× anchor": the comparison, the number, whether it is a ratio. */
    private static final Pattern BOUND = Pattern.compile("^\\s*([≤≥]|<=|>=)\\s*([0-9][0-9,]*(?:\\.[0-9]+)?)\\s*(×)?");

    /** The minimum number of samples behind every reported figure. */
    static final int MIN_SAMPLES = 5;

    double median() {
        return median(samples);
    }

    double anchorMedian() {
        return anchorSamples.isEmpty() ? Double.NaN : median(anchorSamples);
    }

    /** Figure divided by anchor (medians). */
    double ratio() {
        return median() / anchorMedian();
    }

    /** Whether the target is met, by the median (or the median ratio); "—" when there is no target. */
    Verdict verdict() {
        Matcher m = BOUND.matcher(target);
        if (!m.find()) {
            return new Verdict(null, "—");
        }
        boolean atMost = m.group(1).equals("≤") || m.group(1).equals("<=");
        double bound = Double.parseDouble(m.group(2).replace(",", ""));
        boolean ratio = m.group(3) != null;
        double value = ratio ? ratio() : median();
        if (!Double.isFinite(value)) {
            return new Verdict(false, "no value");
        }
        boolean met = atMost ? value <= bound : value >= bound;
        if (met) {
            return new Verdict(true, "met");
        }
        double missedBy = Math.abs(value - bound) / bound * 100;
        return new Verdict(false, String.format(Locale.ROOT, "missed by %.0f %%", missedBy));
    }

    /** {@code met} is null when the figure has no target. */
    record Verdict(Boolean met, String text) {
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The latest sample, for a benchmark's progress line. */
    static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
