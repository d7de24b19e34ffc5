package org.certwatch.api.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One audited state change.
 *
 * @param at when it happened (the registry clock), to the millisecond
 * @param actor who did it: a user name, {@code console}, {@code system}
 * @param action what was done, e.g. {@code certificate.issue}
 * @param target what it was done to, e.g. {@code certificate:42}
 * @param outcome {@code ok}, or {@code refused: <why>} / {@code failed: <why>}
 * @param from where the request came from: a remote address, {@code console}, or empty
 */
public record AuditEntry(Instant at, String actor, String action, String target, String outcome, String from) {
    public AuditEntry {
        // milliseconds: what a reader compares; the clock's nanoseconds were noise in every line
        at = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        actor = actor == null ? "" : actor;
        action = Objects.requireNonNull(action, "action");
        target = target == null ? "" : target;
        outcome = outcome == null ? "" : outcome;
        from = from == null ? "" : from;
    }
}
