package org.certwatch.api.fleet;

import java.time.Instant;

/**
 * Where a computer stands with its policy.
 *
 * @param policyId the policy in effect for the computer, 0 if none
 * @param state NONE, PENDING (sent, not confirmed), APPLIED, FAILED (the agent or the server says why)
 * @param reason why it failed, empty otherwise
 */
public record PolicyState(long computerId, long policyId, State state, String reason, Instant at) {
    public enum State { NONE, PENDING, APPLIED, FAILED }
}
