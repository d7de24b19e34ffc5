package org.certwatch.snmp.internal;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationChannel;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Sends {@code cwRolloverStepCompleted} / {@code cwRolloverStepBlocked} to the SNMP targets when the
 * fleet announces a rollover step (on its own thread, through the {@code snmp} channel, so requests never
 * wait). The notice id names the rollover, step, outcome and time, so a receiver can tell repeats apart.
 * Without the channel (no agent running) the event is logged and dropped: the rollover's own record and
 * the audit log keep the history.
 */
@Component(service = EventHandler.class, property = {
    EventConstants.EVENT_TOPIC + "=" + Topics.ROLLOVER_STEP_COMPLETED,
    EventConstants.EVENT_TOPIC + "=" + Topics.ROLLOVER_STEP_BLOCKED})
public final class RolloverTraps implements EventHandler {
    private static final Logger LOG = Logger.getLogger("org.certwatch.snmp");

    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "certwatch-snmp-rollover");
        t.setDaemon(true);
        return t;
    });
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + NotificationChannel.NAME_PROPERTY + "="
                    + NotificationChannel.SNMP + ")")
    private volatile NotificationChannel channel;
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    @Activate
    public RolloverTraps() {
    }

    @Override
    public void handleEvent(Event event) {
        Notice notice = notice(event, clock);
        sender.execute(() -> send(notice));
    }

    static Notice notice(Event event, Clock clock) {
        boolean blocked = event.getTopic().equals(Topics.ROLLOVER_STEP_BLOCKED);
        long id = number(event.getProperty("rollover.id"));
        int step = (int) number(event.getProperty("step"));
        String name = String.valueOf(event.getProperty("step.name"));
        String reason = String.valueOf(event.getProperty("reason"));
        var now = clock.instant();
        String noticeId = "rollover-" + id + "-step-" + step + (blocked ? "-blocked-" : "-completed-") + now.toEpochMilli();
        String text = "rollover " + id + " step " + step + " (" + name + ") " + (blocked ? "blocked: " : "completed: ") + reason;
        return new Notice(noticeId, blocked ? NoticeKind.ROLLOVER_STEP_BLOCKED : NoticeKind.ROLLOVER_STEP_COMPLETED, now,
                "rollover", id, "", "", "", null, "", "", null, 0, -1, "", text, "/rollover#r" + id, List.of(), true, id,
                step, name, reason.length() > 255 ? reason.substring(0, 252) + "..." : reason);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private void send(Notice notice) {
        NotificationChannel c = channel;
        if (c == null || !c.wants(notice)) {
            LOG.fine("no SNMP target for " + notice.id());
            return;
        }
        try {
            c.deliver(notice);
            LOG.info("SNMP notification sent: " + notice.text().substring(0, Math.min(200, notice.text().length())));
        } catch (DeliveryException | RuntimeException e) {
            LOG.log(Level.WARNING, "SNMP notification " + notice.id() + " not delivered: " + e.getMessage());
        }
    }

    @Deactivate
    void stop() {
        sender.shutdown();
        try {
            sender.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
