package org.certwatch.api.audit;

import java.time.Instant;

/**
 * A filter over the audit log; null fields match everything.
 *
 * @param since entries at or after this instant
 * @param until entries before this instant
 * @param actor exact actor
 * @param actionPrefix action starting with this, e.g. {@code certificate.}
 * @param target exact target
 * @param limit at most this many entries, the newest ones; 0 for no limit
 */
public record AuditQuery(Instant since, Instant until, String actor, String actionPrefix, String target, int limit) {
    public static AuditQuery all() {
        return new AuditQuery(null, null, null, null, null, 0);
    }

    public boolean matches(AuditEntry entry) {
        return (since == null || !entry.at().isBefore(since))
                && (until == null || entry.at().isBefore(until))
                && (actor == null || actor.equals(entry.actor()))
                && (actionPrefix == null || entry.action().startsWith(actionPrefix))
                && (target == null || target.equals(entry.target()));
    }
}
