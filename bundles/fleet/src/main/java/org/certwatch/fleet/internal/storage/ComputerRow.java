package org.certwatch.fleet.internal.storage;

import java.time.Instant;
import org.certwatch.api.fleet.PolicyState;

/** One computer's state as stored (a value, so it is written outside the fleet lock). */
public record ComputerRow(long id, String name, String group, long certificateId, long lastCaId, String fingerprint,
        Instant firstSeen, Instant lastReplication, int replicationsSincePolicy, String agentVersion, String hostName,
        long policyId, PolicyState.State policyState, String policyReason, Instant policyAt, long policyCertificateId,
        boolean earlyReplication) {
}
