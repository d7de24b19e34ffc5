package org.certwatch.api.metrics;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One sample in the Prometheus sense.
 *
 * @param name a Prometheus metric name, {@code certwatch_} prefixed; counters end in {@code _total}
 * @param help one line for {@code # HELP}; samples of one name share it
 * @param labels label names (Prometheus syntax) and values; may be empty
 */
public record MetricSample(String name, String help, Kind kind, Map<String, String> labels, double value) {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    public enum Kind {
        COUNTER,
        GAUGE
    }

    public MetricSample {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a metric name: " + name);
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        for (String label : labels.keySet()) {
            if (!NAME.matcher(label).matches() || label.contains(":")) {
                throw new IllegalArgumentException("not a label name: " + label);
            }
        }
    }

    public static MetricSample counter(String name, String help, Map<String, String> labels, long value) {
        return new MetricSample(name, help, Kind.COUNTER, labels, value);
    }
}
