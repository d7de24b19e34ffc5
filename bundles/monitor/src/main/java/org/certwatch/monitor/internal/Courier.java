package org.certwatch.monitor.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.notify.NotificationChannel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Hands the outbox's notices to the {@link NotificationChannel} whiteboard on its own thread: wakes
 * when a notice is queued or a channel arrives, else when a channel's back-off ends.
 */
@Component(service = {}, immediate = true)
public final class Courier {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");

    private final Map<String, NotificationChannel> channels = new ConcurrentHashMap<>();
    private final Outbox outbox;
    private final Worker worker;

    @Activate
    public Courier(@Reference MonitorRuntime runtime) {
        this.outbox = runtime.outbox();
        this.worker = new Worker("certwatch-outbox",
                () -> Math.min(outbox.deliverRound(channels::get), TimeUnit.MINUTES.toNanos(1)),
                e -> LOG.log(Level.SEVERE, "outbox delivery: " + e.getMessage(), e));
    }

    @Activate
    void activate() {
        outbox.onChange(worker::signal);
        worker.start();
    }

    @Deactivate
    void deactivate() {
        outbox.onChange(() -> { });
        worker.stop(MonitorComponent.STOP_GRACE_MILLIS);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindChannel(NotificationChannel channel, Map<String, Object> properties) {
        channels.put(channelName(channel, properties), channel);
        worker.signal();
    }

    void unbindChannel(NotificationChannel channel, Map<String, Object> properties) {
        channels.remove(channelName(channel, properties), channel);
    }

    private static String channelName(NotificationChannel channel, Map<String, Object> properties) {
        Object name = properties.get(NotificationChannel.NAME_PROPERTY);
        return name != null ? name.toString() : channel.name();
    }
}
