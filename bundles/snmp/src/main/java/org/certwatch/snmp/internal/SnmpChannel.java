package org.certwatch.snmp.internal;

import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;

/** The {@code snmp} notification channel: a notice as its CERTWATCH-MIB notification to every target. */
final class SnmpChannel implements NotificationChannel {
    private final NotificationSender sender;
    private final MibModel model;
    private final AgentRunner runner;

    SnmpChannel(NotificationSender sender, MibModel model, AgentRunner runner) {
        this.sender = sender;
        this.model = model;
        this.runner = runner;
    }

    @Override
    public String name() {
        return SNMP;
    }

    @Override
    public boolean wants(Notice notice) {
        return notice.snmp() && sender.hasTargets();
    }

    @Override
    public void deliver(Notice notice) throws DeliveryException {
        NoticeVarbinds.Notification notification;
        try {
            notification = NoticeVarbinds.of(notice, model.view(null));
        } catch (IllegalArgumentException e) {
            throw new DeliveryException(e.getMessage(), true);
        }
        sender.send(notice.id(), notification, runner.sysUpTime().get());
    }
}
