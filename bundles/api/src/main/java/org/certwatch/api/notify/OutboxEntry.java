package org.certwatch.api.notify;

import java.time.Instant;
import java.util.List;

/**
 * A notice in the outbox, not yet confirmed by every channel it needs.
 *
 * @param pendingChannels channel names still to confirm (e.g. {@code mail}, {@code snmp})
 * @param attempts delivery attempts so far, over all channels
 * @param lastError the last channel's answer, e.g. the SMTP server's reply; empty when none
 * @param failed a channel refused it permanently (e.g. the recipient was rejected): it waits for
 *     {@link NotificationService#retry} or {@link NotificationService#discard} by an admin
 * @param lastAttempt null before the first attempt
 */
public record OutboxEntry(Notice notice, List<String> pendingChannels, int attempts, String lastError,
        boolean failed, Instant lastAttempt) {
    public OutboxEntry {
        pendingChannels = List.copyOf(pendingChannels);
    }
}
