package org.certwatch.fleet.internal.state;

import java.time.Instant;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.fleet.internal.storage.ComputerRow;

/** A computer's mutable state, guarded by the {@link FleetState} lock. */
public final class ComputerRecord {
    public final long id;
    public String name;
    public String group;
    public volatile long certificateId;
    /** The CA of the certificate it last authenticated with (a rollover's step 6 waits for none on the old CA). */
    public volatile long lastCaId;
    public String fingerprint = "";
    public Instant firstSeen;
    public Instant lastReplication;
    public int replicationsSincePolicy;
    public String agentVersion = "";
    public String hostName = "";
    public long policyId;
    public PolicyState.State policyState = PolicyState.State.NONE;
    public String policyReason = "";
    public Instant policyAt;
    /** The certificate the current policy gives this computer (issued for it, or the shared one), 0 if none. */
    public long policyCertificateId;
    public boolean earlyReplication;

    public ComputerRecord(long id, String name, String group) {
        this.id = id;
        this.name = name;
        this.group = group;
    }

    public Computer toComputer() {
        return new Computer(id, name, group, certificateId, fingerprint, firstSeen, lastReplication,
                replicationsSincePolicy, agentVersion, hostName);
    }

    /** Its state now, as a value the snapshot writer can read outside the lock. */
    ComputerRow row() {
        return new ComputerRow(id, name, group, certificateId, lastCaId, fingerprint, firstSeen, lastReplication,
                replicationsSincePolicy, agentVersion, hostName, policyId, policyState, policyReason, policyAt,
                policyCertificateId, earlyReplication);
    }

    static ComputerRecord of(ComputerRow row) {
        ComputerRecord r = new ComputerRecord(row.id(), row.name(), row.group());
        r.set(row);
        return r;
    }

    /** Takes a stored state of this computer (another server's change); the caller holds its lock. */
    void set(ComputerRow row) {
        name = row.name();
        group = row.group();
        certificateId = row.certificateId();
        lastCaId = row.lastCaId();
        fingerprint = row.fingerprint();
        replicationsSincePolicy = row.replicationsSincePolicy();
        agentVersion = row.agentVersion();
        hostName = row.hostName();
        policyId = row.policyId();
        policyState = row.policyState();
        policyReason = row.policyReason();
        policyCertificateId = row.policyCertificateId();
        earlyReplication = row.earlyReplication();
        firstSeen = row.firstSeen();
        lastReplication = row.lastReplication();
        policyAt = row.policyAt();
    }

    /** The host name its certificates are issued for: the agent's, else the computer's name; "*" if neither is a DNS name. */
    public String certificateHost() {
        String h = hostName.isEmpty() ? name : hostName;
        return h.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?") ? h : "*";
    }

    public PolicyState toPolicyState() {
        return new PolicyState(id, policyId, policyState, policyReason, policyAt);
    }
}
