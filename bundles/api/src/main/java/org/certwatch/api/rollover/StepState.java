package org.certwatch.api.rollover;

import java.time.Instant;

/**
 * Where one step stands.
 *
 * @param status PENDING (not reached), DONE, BLOCKED (last attempt refused; {@code detail} says why)
 * @param at when it was done or last refused, null while pending
 * @param actor who did or attempted it
 * @param detail what was done (ids), or why it was refused
 */
public record StepState(RolloverStep step, Status status, Instant at, String actor, String detail) {
    public enum Status { PENDING, DONE, BLOCKED }
}
