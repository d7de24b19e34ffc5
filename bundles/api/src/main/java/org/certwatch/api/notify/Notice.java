package org.certwatch.api.notify;

import java.time.Instant;
import java.util.List;
import org.certwatch.api.Role;

/**
 * One notice to deliver, as persisted in the outbox before any delivery. Fields that do not apply
 * to the kind are empty strings, 0 or null.
 *
 * @param id stable and unique; the same on every (re)delivery: the e-mail Message-ID and the
 *     {@code cwNoticeId} varbind, so receivers can drop duplicates
 * @param notification the name of the notification that produced it
 * @param objectId the store id of the certificate or CA, or the computer id
 * @param serial the certificate serial as {@code openssl x509 -serial} prints it
 *     ({@link org.certwatch.api.store.OpenSslText#serial})
 * @param daysLeft whole days until notAfter, rounded down; negative once expired
 * @param thresholdDays the threshold crossed, -1 when none (expired, status change, rollover)
 * @param emailRecipients where the mail channel sends it; empty: not by mail
 * @param snmp whether the SNMP channel sends it as a trap/inform
 * @param text one line a person reads, e.g. "AGENT certificate CN=pc-17 expires in 30 days"
 * @param link the path of the object's page on the web server, e.g. {@code /certificates/42}
 * @param rolloverStep 1..6 for rollover notices, else 0
 */
public record Notice(String id, NoticeKind kind, Instant createdAt, String notification, long objectId,
        String serial, String subject, String issuer, Role role, String host, String fingerprint, Instant notAfter,
        long daysLeft, int thresholdDays, String group, String text, String link, List<String> emailRecipients,
        boolean snmp, long rolloverId, int rolloverStep, String rolloverStepName, String reason) {
    public Notice {
        emailRecipients = List.copyOf(emailRecipients);
    }
}
