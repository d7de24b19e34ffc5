package org.certwatch.api.fleet;

import java.time.Instant;

/**
 * A managed computer as the fleet knows it from its agent's replications.
 *
 * @param id never reused, stable across restarts (SNMP row index)
 * @param group the static group's path
 * @param certificateId the store id of the certificate the agent last authenticated with, 0 if none/unknown
 * @param lastCertificateFingerprint SHA-256 (lower-case hex) of that certificate, empty if never seen
 * @param lastReplication null when the agent never replicated
 * @param replicationsSincePolicy replications since the latest policy assigned to it
 */
public record Computer(long id, String name, String group, long certificateId, String lastCertificateFingerprint,
        Instant firstSeen, Instant lastReplication, int replicationsSincePolicy, String agentVersion,
        String hostName) {
}
