package org.certwatch.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One measured figure: its samples, the anchor measured side by side in the same run, and the
 * target. {@code higherIsBetter} says which way the ratio and the target point.
 */
record Figure(String name, String unit, List<Double> samples, String anchorName, List<Double> anchorSamples,
        String target, boolean higherIsBetter) {

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

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}
