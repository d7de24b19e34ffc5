package org.certwatch.monitor.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.certwatch.api.notify.NotificationChannel;

/**
 * The {@link NotificationChannel} whiteboard as the outbox's delivery sees it: the channels present now, by
 * name (the service property {@value NotificationChannel#NAME_PROPERTY}, else the channel's own name).
 */
final class Channels {
    private final Map<String, NotificationChannel> byName = new ConcurrentHashMap<>();

    void add(NotificationChannel channel, Map<String, Object> properties) {
        byName.put(name(channel, properties), channel);
    }

    /** Removes it unless another channel of the same name took its place meanwhile. */
    void remove(NotificationChannel channel, Map<String, Object> properties) {
        byName.remove(name(channel, properties), channel);
    }

    /** The channel of that name now, null while there is none. */
    NotificationChannel get(String name) {
        return byName.get(name);
    }

    private static String name(NotificationChannel channel, Map<String, Object> properties) {
        Object name = properties.get(NotificationChannel.NAME_PROPERTY);
        return name != null ? name.toString() : channel.name();
    }
}
