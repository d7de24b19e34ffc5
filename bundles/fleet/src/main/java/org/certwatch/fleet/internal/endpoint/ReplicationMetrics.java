package org.certwatch.fleet.internal.endpoint;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.Topics;
import org.certwatch.api.metrics.MetricSample;
import org.certwatch.api.metrics.MetricSource;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The agent endpoint's counter for {@code /metrics}: successful replications, counted from the
 * endpoint's own {@code computer/REPLICATED} events (so the endpoint's hot path is untouched).
 * Since the fleet bundle started.
 */
@Component(service = {MetricSource.class, EventHandler.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.COMPUTER_REPLICATED)
public final class ReplicationMetrics implements MetricSource, EventHandler {
    private final AtomicLong replications = new AtomicLong();

    @Override
    public void handleEvent(Event event) {
        replications.incrementAndGet();
    }

    @Override
    public List<MetricSample> samples() {
        return List.of(MetricSample.counter("certwatch_replications_total",
                "Agent replications the fleet's agent endpoint served (mutual TLS, accepted)", Map.of(),
                replications.get()));
    }
}
