package org.certwatch.api.store;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;

/**
 * A peer or monitor-only certificate as the store knows it.
 *
 * @param id never reused, stable across restarts (SNMP row index)
 * @param role MONITORED for imported third-party certificates
 * @param host the host it was issued for ({@code *} = any host, no subjectAltName)
 * @param alternativeNames further DNS names and IP addresses in its subjectAltName
 * @param caId the issuing CA's id, 0 when the issuer is not in the store
 * @param fingerprint SHA-256 of the DER certificate, lower-case hex without separators
 * @param hasKey whether the store holds its private key
 * @param revokedAt null unless revoked
 * @param predecessorId the certificate this one renewed, 0 if none
 * @param successorId the certificate that renewed this one, 0 if none
 */
public record CertificateInfo(long id, Role role, String host, List<String> alternativeNames, long caId,
        String issuer, String subject, BigInteger serial, Instant notBefore, Instant notAfter, String fingerprint,
        String keyAlgorithm, int keySize, boolean hasKey, String homeGroup, String description, Instant createdAt,
        Instant revokedAt, RevocationReason revocationReason, long predecessorId, long successorId) {

    public CertificateInfo {
        alternativeNames = List.copyOf(alternativeNames);
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public ExpiryStatus expiryStatus(Instant now, Duration warning) {
        return Expiry.status(now, warning, notBefore, notAfter, revoked());
    }
}
