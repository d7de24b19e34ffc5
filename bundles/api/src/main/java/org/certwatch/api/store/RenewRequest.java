package org.certwatch.api.store;

import java.time.Instant;

/**
 * Asks for the successor of a certificate: same role, host, subject and group.
 *
 * @param caId null to keep the issuing CA; another CA's id moves the successor to it (rollover)
 * @param notAfter null for the default validity
 * @param newKey true (the default) for a fresh key; false reuses the predecessor's key
 */
public record RenewRequest(Long caId, Instant notAfter, boolean newKey) {
    public static RenewRequest defaults() {
        return new RenewRequest(null, null, true);
    }
}
