package org.certwatch.snmp.internal;

import java.util.HashMap;
import java.util.Map;
import org.certwatch.api.Topics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** Keeps the MIB's tables, and the agent's group contexts, in step with store, fleet and location events. */
@Component(service = EventHandler.class, property = {
    EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "certificate/*",
    EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "ca/*",
    EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "computer/*",
    EventConstants.EVENT_TOPIC + "=" + Topics.PREFIX + "location/*",
    EventConstants.EVENT_TOPIC + "=" + GroupContexts.TOPIC})
public final class SnmpEvents implements EventHandler {
    private final SnmpRuntime runtime;
    private final MibModel model;

    @Activate
    public SnmpEvents(@Reference SnmpRuntime runtime) {
        this.runtime = runtime;
        this.model = runtime.model();
    }

    @Override
    public void handleEvent(Event event) {
        if (event.getTopic().equals(GroupContexts.TOPIC)) {
            runtime.groupsChanged();
            return;
        }
        Map<String, Object> properties = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            properties.put(name, event.getProperty(name));
        }
        model.handle(event.getTopic(), properties);
    }
}
