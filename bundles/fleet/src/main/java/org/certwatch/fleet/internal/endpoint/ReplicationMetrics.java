package org.certwatch.fleet.internal.endpoint;

import java.util.List;
import java.util.Map;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;
import org.certwatch.fleet.internal.state.FleetState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The agent endpoint's counter for {@code /metrics}: successful replications since the fleet bundle started. */
@Component(service = MetricSource.class)
public final class ReplicationMetrics implements MetricSource {
    private final FleetState state;

    @Activate
    public ReplicationMetrics(@Reference(name = "state") FleetState state) {
        this.state = state;
    }

    @Override
    public List<MetricSample> samples() {
        return List.of(MetricSample.counter("certwatch_replications_total",
                "Agent replications the fleet's agent endpoint served (mutual TLS, accepted)", Map.of(),
                state.replicationCount()));
    }
}
