package org.certwatch.snmp.internal;

import java.util.List;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The agent's request counter on {@code /metrics} (see {@link SnmpMetrics}). */
@Component(service = MetricSource.class)
public final class SnmpMetricSource implements MetricSource {
    private final SnmpMetrics metrics;

    @Activate
    public SnmpMetricSource(@Reference SnmpRuntime runtime) {
        this.metrics = runtime.metrics();
    }

    @Override
    public List<MetricSample> samples() {
        return metrics.samples();
    }
}
