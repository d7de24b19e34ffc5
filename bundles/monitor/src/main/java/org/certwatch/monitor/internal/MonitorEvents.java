package org.certwatch.monitor.internal;

import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Turns store, computer and clock events into engine work on the scheduler thread. The monitor's
 * own announcements (expiring, expired) are not work for it.
 */
@Component(service = EventHandler.class, property = {
    EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "certificate/*",
    EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "ca/*",
    EventConstants.EVENT_TOPIC + "=" + Topics.COMPUTER_ADDED,
    EventConstants.EVENT_TOPIC + "=" + Topics.COMPUTER_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + Topics.COMPUTERS_REPLICATED,
    EventConstants.EVENT_TOPIC + "=" + Topics.SERVER_CERTIFICATE_CHANGED,
    EventConstants.EVENT_TOPIC + "=" + Topics.CLOCK_CHANGED})
public final class MonitorEvents implements EventHandler {
    private final MonitorRuntime runtime;

    @Activate
    public MonitorEvents(@Reference MonitorRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public void handleEvent(Event event) {
        MonitorEngine engine = runtime.engine();
        String topic = event.getTopic();
        if (topic.equals(Topics.CLOCK_CHANGED)) {
            runtime.submit(() -> { });
        } else if (topic.equals(Topics.SERVER_CERTIFICATE_CHANGED)) {
            runtime.submit(engine::serverCertificateChanged);
        } else if (topic.equals(Topics.COMPUTERS_REPLICATED)) {
            // a computer's last replication decides when it falls SILENT; the fleet batches these once a second
            if (event.getProperty("computer.ids") instanceof long[] ids) {
                runtime.submit(() -> engine.computersReplicated(runtime.computers(), ids));
            }
        } else if (topic.equals(Topics.COMPUTER_ADDED) || topic.equals(Topics.COMPUTER_CHANGED)) {
            Long id = number(event.getProperty("computer.id"));
            if (id != null) {
                runtime.submit(() -> engine.computerChanged(runtime.computers(), id));
            }
        } else if (topic.startsWith(Topics.PREFIX + "ca/")) {
            Long id = number(event.getProperty("ca.id"));
            if (id != null && !topic.equals(Topics.CA_EXPIRING) && !topic.equals(Topics.CA_EXPIRED)) {
                runtime.submit(() -> engine.caChanged(id));
            }
        } else if (topic.equals(Topics.CERTIFICATE_DELETED)) {
            Long id = number(event.getProperty("certificate.id"));
            Object role = event.getProperty("role");
            if (id != null && role != null) {
                Role r = Role.valueOf(role.toString());
                String host = String.valueOf(event.getProperty("host"));
                runtime.submit(() -> engine.certificateDeleted(id, r, host));
            }
        } else if (!topic.equals(Topics.CERTIFICATE_EXPIRING) && !topic.equals(Topics.CERTIFICATE_EXPIRED)) {
            Long id = number(event.getProperty("certificate.id"));
            if (id != null) {
                runtime.submit(() -> {
                    engine.certificateChanged(id);
                    engine.serverCertificateChanged();
                });
            }
        }
    }

    private static Long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return o == null ? null : Long.parseLong(o.toString());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
