package org.certwatch.api.rollover;

import java.time.Instant;

/**
 * One targeted computer's progress in a rollover.
 *
 * @param replicationsSincePolicy replications since the rollover's policy reached it
 * @param applied whether its agent confirmed the new certificate
 * @param lastCaId the CA of the certificate it last authenticated with, 0 if it never did
 * @param lastAuthenticated when that was, null if never
 * @param readiness READY (applied and replicated at least twice), WAITING, NEVER_SEEN (no replication
 *     since the policy)
 */
public record RolloverComputer(long computerId, String name, String group, int replicationsSincePolicy,
        boolean applied, long lastCaId, Instant lastAuthenticated, Readiness readiness) {
    public enum Readiness { READY, WAITING, NEVER_SEEN }
}
