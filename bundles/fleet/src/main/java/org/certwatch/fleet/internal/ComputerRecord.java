package org.certwatch.fleet.internal;

import java.time.Instant;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.PolicyState;

/** A computer's mutable state, guarded by the {@link FleetState} lock. */
final class ComputerRecord {
    final long id;
    String name;
    String group;
    volatile long certificateId;
    /** The CA of the certificate it last authenticated with (a rollover's step 6 waits for none on the old CA). */
    volatile long lastCaId;
    String fingerprint = "";
    Instant firstSeen;
    Instant lastReplication;
    int replicationsSincePolicy;
    String agentVersion = "";
    String hostName = "";
    long policyId;
    PolicyState.State policyState = PolicyState.State.NONE;
    String policyReason = "";
    Instant policyAt;
    /** The certificate the current policy gives this computer (issued for it, or the shared one), 0 if none. */
    long policyCertificateId;
    boolean earlyReplication;

    ComputerRecord(long id, String name, String group) {
        this.id = id;
        this.name = name;
        this.group = group;
    }

    Computer toComputer() {
        return new Computer(id, name, group, certificateId, fingerprint, firstSeen, lastReplication,
                replicationsSincePolicy, agentVersion, hostName);
    }

    /** Its state now, as a value the snapshot writer can read outside the lock. */
    Row row() {
        return new Row(id, name, group, certificateId, lastCaId, fingerprint, firstSeen, lastReplication,
                replicationsSincePolicy, agentVersion, hostName, policyId, policyState, policyReason, policyAt,
                policyCertificateId, earlyReplication);
    }

    record Row(long id, String name, String group, long certificateId, long lastCaId, String fingerprint,
            Instant firstSeen, Instant lastReplication, int replicationsSincePolicy, String agentVersion,
            String hostName, long policyId, PolicyState.State policyState, String policyReason, Instant policyAt,
            long policyCertificateId, boolean earlyReplication) {
    }

    PolicyState toPolicyState() {
        return new PolicyState(id, policyId, policyState, policyReason, policyAt);
    }
}
