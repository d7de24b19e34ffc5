package org.certwatch.monitor.internal;

import java.util.List;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Turns the location registry's "failing", "recovered" and "findings" announcements into notices of the
 * LOCATIONS notifications, on the scheduler thread. The registry announces each spell, and each finding that
 * appears or clears, once; {@link LocationNotices} drops a repeated spell.
 */
@Component(service = EventHandler.class, property = {
    EventConstants.EVENT_TOPIC + "=" + Topics.LOCATION_FAILING,
    EventConstants.EVENT_TOPIC + "=" + Topics.LOCATION_RECOVERED,
    EventConstants.EVENT_TOPIC + "=" + Topics.LOCATION_FINDINGS})
public final class LocationEvents implements EventHandler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");

    private final MonitorRuntime runtime;
    private final LocationNotices notices;
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile LocationRegistry registry;

    @Activate
    public LocationEvents(@Reference(name = "runtime") MonitorRuntime runtime,
            @Reference(name = "store") CertificateStore store) {
        this.runtime = runtime;
        this.notices = new LocationNotices(runtime.outbox(), runtime.clock(), store::certificate);
    }

    @Override
    public void handleEvent(Event event) {
        Object id = event.getProperty("location.id");
        LocationRegistry locations = registry;
        if (!(id instanceof Number n) || locations == null) {
            return; // the registry went between its announcement and now: nothing left to name
        }
        if (event.getTopic().equals(Topics.LOCATION_FINDINGS)) {
            // the findings as announced: by the time the scheduler runs, a later check may have changed them
            List<String> texts = event.getProperty("findings.text") instanceof String[] t ? List.of(t) : List.of();
            runtime.submit(() -> locations.location(n.longValue()).ifPresent(
                    l -> notices.findings(runtime.book().all(), l, texts)));
            return;
        }
        boolean failing = event.getTopic().equals(Topics.LOCATION_FAILING);
        Object reason = event.getProperty("reason");
        runtime.submit(() -> locations.location(n.longValue()).ifPresentOrElse(l -> {
            if (failing) {
                notices.failing(runtime.book().all(), l, reason == null ? l.reason() : reason.toString());
            } else {
                notices.recovered(runtime.book().all(), l);
            }
        }, () -> LOG.fine(() -> "location " + n + " announced but unknown to the registry")));
    }
}
