package org.certwatch.monitor.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;

/**
 * The outbox's counters for {@code /metrics}: deliveries per channel that succeeded and that failed
 * (each failed attempt, transient or permanent), and the notices waiting. Counted since the monitor
 * started; the outbox journal, not these counters, is what survives a restart.
 */
final class OutboxMetrics implements MetricSource {
    private final Map<String, AtomicLong> delivered = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> failed = new ConcurrentHashMap<>();
    private volatile IntSupplier pending = () -> 0;

    void delivered(String channel) {
        delivered.computeIfAbsent(channel, c -> new AtomicLong()).incrementAndGet();
    }

    void failed(String channel) {
        failed.computeIfAbsent(channel, c -> new AtomicLong()).incrementAndGet();
    }

    void pending(IntSupplier size) {
        this.pending = size;
    }

    @Override
    public List<MetricSample> samples() {
        List<MetricSample> samples = new ArrayList<>();
        // both channels always appear, so a rate() over a fresh server has a series to start from
        for (String channel : List.of("mail", "snmp")) {
            delivered.computeIfAbsent(channel, c -> new AtomicLong());
            failed.computeIfAbsent(channel, c -> new AtomicLong());
        }
        delivered.forEach((c, n) -> samples.add(MetricSample.counter("certwatch_notices_delivered_total",
                "Notices a channel delivered (SMTP 250, inform acknowledged, trap sent)", Map.of("channel", c), n.get())));
        failed.forEach((c, n) -> samples.add(MetricSample.counter("certwatch_notices_failed_total",
                "Failed delivery attempts of notices, per channel (retried with backoff, or failed permanently)",
                Map.of("channel", c), n.get())));
        samples.add(new MetricSample("certwatch_outbox_notices", "Notices in the outbox not yet confirmed by every channel",
                MetricSample.Kind.GAUGE, Map.of(), pending.getAsInt()));
        return samples;
    }
}
