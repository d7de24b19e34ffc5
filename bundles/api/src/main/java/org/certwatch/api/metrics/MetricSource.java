package org.certwatch.api.metrics;

import java.util.List;

/**
 * Whiteboard service: a bundle's own counters and gauges, read when {@code /metrics} is scraped. The
 * samples describe the whole server (they are not scoped by user), so they must hold no secrets and
 * name no object of a group. Reading must be cheap (atomics, no I/O).
 */
public interface MetricSource {
    List<MetricSample> samples();
}
