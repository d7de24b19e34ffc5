package org.certwatch.locations.internal;

import java.util.Map;

/** Where the registry announces changes (EventAdmin in the runtime, a list in tests). */
@FunctionalInterface
interface Announcer {
    void post(String topic, Map<String, Object> properties);
}
