package org.certwatch.snmp.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;

/**
 * The SNMP bundle's counter for {@code /metrics}: messages the agent received. It survives agent
 * restarts (reconfiguration), not a bundle restart. Notices are counted by the monitor's outbox, which
 * sees every channel.
 */
final class SnmpMetrics implements MetricSource {
    final AtomicLong requests = new AtomicLong();

    @Override
    public List<MetricSample> samples() {
        return List.of(MetricSample.counter("certwatch_snmp_requests_total",
                "SNMP messages received by the agent (well-framed datagrams, before authentication)", Map.of(),
                requests.get()));
    }
}
