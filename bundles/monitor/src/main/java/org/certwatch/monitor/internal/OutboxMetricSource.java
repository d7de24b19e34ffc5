package org.certwatch.monitor.internal;

import java.util.List;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The outbox's counters and size on {@code /metrics} (see {@link OutboxMetrics}). */
@Component(service = MetricSource.class)
public final class OutboxMetricSource implements MetricSource {
    private final OutboxMetrics metrics;

    @Activate
    public OutboxMetricSource(@Reference MonitorRuntime runtime) {
        Outbox outbox = runtime.outbox();
        this.metrics = outbox.metrics;
        metrics.pending(outbox::size);
    }

    @Override
    public List<MetricSample> samples() {
        return metrics.samples();
    }
}
