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
 * @param alternativeNames further DNS names and IP addresses in its subjectAltName (besides {@code host}), as
 *     issuance takes them
 * @param subjectAltNames every entry of its subjectAltName extension, typed, in certificate order
 * @param caId the issuing CA's id, 0 when the issuer is not in the store
 * @param serial spell it with {@link OpenSslText#serial}
 * @param fingerprint SHA-256 of the DER certificate, lower-case hex without separators
 * @param hasKey whether the store holds its private key
 * @param revokedAt null unless revoked
 * @param predecessorId the certificate this one renewed, 0 if none
 * @param successorId the certificate that renewed or (for a monitored one) replaced this one, 0 if none
 * @param retiredAt for a monitored certificate no location holds any more, or whose watching was stopped: since
 *     when; it keeps its expiry status but never alarms. Null otherwise.
 */
public record CertificateInfo(long id, Role role, String host, List<String> alternativeNames,
        List<SubjectAltName> subjectAltNames, long caId, String issuer, String subject, BigInteger serial, Instant notBefore, Instant notAfter, String fingerprint,
        String keyAlgorithm, int keySize, boolean hasKey, String homeGroup, String description, Instant createdAt,
        Instant revokedAt, RevocationReason revocationReason, long predecessorId, long successorId,
        Instant retiredAt) {

    public CertificateInfo {
        alternativeNames = List.copyOf(alternativeNames);
        subjectAltNames = List.copyOf(subjectAltNames);
    }

    /** A certificate that is not retired. */
    public CertificateInfo(long id, Role role, String host, List<String> alternativeNames,
            List<SubjectAltName> subjectAltNames, long caId, String issuer, String subject, BigInteger serial,
            Instant notBefore, Instant notAfter, String fingerprint, String keyAlgorithm, int keySize, boolean hasKey,
            String homeGroup, String description, Instant createdAt, Instant revokedAt,
            RevocationReason revocationReason, long predecessorId, long successorId) {
        this(id, role, host, alternativeNames, subjectAltNames, caId, issuer, subject, serial, notBefore, notAfter,
                fingerprint, keyAlgorithm, keySize, hasKey, homeGroup, description, createdAt, revokedAt,
                revocationReason, predecessorId, successorId, null);
    }

    /** For certificates made for {@code host} and {@code alternativeNames}: the subjectAltNames follow from them. */
    public CertificateInfo(long id, Role role, String host, List<String> alternativeNames, long caId,
            String issuer, String subject, BigInteger serial, Instant notBefore, Instant notAfter, String fingerprint,
            String keyAlgorithm, int keySize, boolean hasKey, String homeGroup, String description, Instant createdAt,
            Instant revokedAt, RevocationReason revocationReason, long predecessorId, long successorId) {
        this(id, role, host, alternativeNames, SubjectAltName.of(host, alternativeNames), caId, issuer, subject,
                serial, notBefore, notAfter, fingerprint, keyAlgorithm, keySize, hasKey, homeGroup, description,
                createdAt, revokedAt, revocationReason, predecessorId, successorId);
    }

    public boolean retired() {
        return retiredAt != null;
    }

    public boolean revoked() {
        return revokedAt != null;
    }

    public ExpiryStatus expiryStatus(Instant now, Duration warning) {
        return Expiry.status(now, warning, notBefore, notAfter, revoked());
    }
}
