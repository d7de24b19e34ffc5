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
 * @param lastChange the last change of state or of the certificate held
 */
public record Location(long id, LocationRef ref, LocationState state, long certificateId, List<Long> chainIds,
        LocationFailure failure, String reason, int consecutiveFailures, Instant firstSeen, Instant lastCheck,
        Instant lastChange) {
    public Location {
        chainIds = List.copyOf(chainIds);
        reason = reason == null ? "" : reason;
    }
}
