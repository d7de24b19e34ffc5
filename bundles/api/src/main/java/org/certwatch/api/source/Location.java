package org.certwatch.api.source;

import java.time.Instant;
import java.util.List;

/**
 * A location as the registry knows it.
 *
 * @param id never reused, stable across restarts (SNMP row index, page link)
 * @param certificateId the store's certificate held there at the last successful check, 0 before the first
 * @param chainIds the store's certificates of that check's chain after the first, in order (the store keeps them
 *     as monitored certificates too)
 * @param failure why the last check failed, null unless {@link LocationState#FAILING}
 * @param reason the failure in words, empty unless failing
 * @param consecutiveFailures failed checks since the last successful one
 * @param lastCheck the last check, null before the first
 * @param lastChange the last change of state, of the certificate held or of the findings
 * @param findings the last successful check's findings (since 1.2)
 * @param probe the last successful endpoint check's handshake; null for files (since 1.2)
 */
public record Location(long id, LocationRef ref, LocationState state, long certificateId, List<Long> chainIds,
        LocationFailure failure, String reason, int consecutiveFailures, Instant firstSeen, Instant lastCheck,
        Instant lastChange, List<Finding> findings, EndpointProbe probe) {
    public Location {
        chainIds = List.copyOf(chainIds);
        reason = reason == null ? "" : reason;
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A location without findings or probe details (the 1.0 shape). */
    public Location(long id, LocationRef ref, LocationState state, long certificateId, List<Long> chainIds,
            LocationFailure failure, String reason, int consecutiveFailures, Instant firstSeen, Instant lastCheck,
            Instant lastChange) {
        this(id, ref, state, certificateId, chainIds, failure, reason, consecutiveFailures, firstSeen, lastCheck,
                lastChange, List.of(), null);
    }
}
