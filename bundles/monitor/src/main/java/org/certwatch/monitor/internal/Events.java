package org.certwatch.monitor.internal;

import java.util.Map;

/** Where the monitor announces status changes (EventAdmin in the runtime, a list in tests). */
@FunctionalInterface
interface Events {
    Events NONE = (topic, properties) -> { };

    void post(String topic, Map<String, Object> properties);
}
