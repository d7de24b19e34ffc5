package org.certwatch.snmp.internal;

import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code snmp} {@link NotificationChannel}, present only while the agent runs: disabled by
 * default, {@link SnmpComponent} enables it when an agent has started and disables it when it stops,
 * so the outbox keeps SNMP notices waiting (rather than failing them) while there is no agent.
 */
@Component(name = SnmpChannelComponent.NAME, service = NotificationChannel.class, enabled = false,
        property = NotificationChannel.NAME_PROPERTY + "=" + NotificationChannel.SNMP)
public final class SnmpChannelComponent implements NotificationChannel {
    static final String NAME = "org.certwatch.snmp.channel";

    private final SnmpRuntime runtime;

    @Activate
    public SnmpChannelComponent(@Reference SnmpRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public String name() {
        return SNMP;
    }

    @Override
    public boolean wants(Notice notice) {
        SnmpChannel channel = runtime.channel();
        // between the agent's stop and this component's (asynchronous) disabling: deliver retries it
        return channel == null ? notice.snmp() : channel.wants(notice);
    }

    @Override
    public void deliver(Notice notice) throws DeliveryException {
        SnmpChannel channel = runtime.channel();
        if (channel == null) {
            throw new DeliveryException("SNMP agent stopped", false);
        }
        channel.deliver(notice);
    }
}
