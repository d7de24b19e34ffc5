package org.certwatch.store.internal.core;

import java.util.Map;

/** Where the store announces changes (EventAdmin in the runtime, nothing or a list in tests). */
@FunctionalInterface
public interface StoreEvents {
    StoreEvents NONE = (topic, properties) -> { };

    void post(String topic, Map<String, Object> properties);
}
