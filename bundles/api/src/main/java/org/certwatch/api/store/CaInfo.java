package org.certwatch.api.store;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import org.certwatch.api.ExpiryStatus;

/**
 * A certification authority as the store knows it.
 *
 * @param id never reused, stable across restarts (SNMP row index)
 * @param serial spell it with {@link OpenSslText#serial}
 * @param fingerprint SHA-256 of the DER certificate, lower-case hex without separators
 * @param keySize bits (curve size for EC, 255 for Ed25519)
 * @param imported true when the CA was imported rather than created here
 * @param deletedAt null unless deleted; then {@code deleteReason} says why (empty when not forced)
 */
public record CaInfo(long id, String subject, BigInteger serial, Instant notBefore, Instant notAfter,
        String fingerprint, String keyAlgorithm, int keySize, CaStatus status, boolean hasKey, boolean imported,
        String homeGroup, String description, Instant createdAt, Instant deletedAt, String deleteReason) {

    public ExpiryStatus expiryStatus(Instant now, Duration warning) {
        return Expiry.status(now, warning, notBefore, notAfter, false);
    }
}
