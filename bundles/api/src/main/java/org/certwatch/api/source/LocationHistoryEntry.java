package org.certwatch.api.source;

import java.time.Instant;

/**
 * One certificate a location held, and for how long.
 *
 * @param until null while it still holds it
 */
public record LocationHistoryEntry(long certificateId, String fingerprint, Instant from, Instant until) {
}
