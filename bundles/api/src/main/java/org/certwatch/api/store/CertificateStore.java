package org.certwatch.api.store;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * CAs, peer certificates and monitor-only certificates, durably stored. Every mutating operation is
 * durable when it returns, audited, and announced on EventAdmin (see {@code org.certwatch.api.Topics}).
 * Refused operations throw {@link CertificateStoreException} and change nothing.
 *
 * <p>{@code actor} names who asks (a user name, {@code console}, {@code system}) for the audit log.
 */
public interface CertificateStore {
    /** The root static group; the home group of everything created without one. */
    String ROOT_GROUP = "All";

    List<CaInfo> cas();

    Optional<CaInfo> ca(long id);

    Optional<CaInfo> caByFingerprint(String sha256Hex);

    Optional<CertificateInfo> certificate(long id);

    Optional<CertificateInfo> certificateByFingerprint(String sha256Hex);

    List<CertificateInfo> certificates(CertificateQuery query);

    /** The certificate whose key the server uses for TLS (the first-start one until replaced). */
    Optional<CertificateInfo> serverCertificate();

    /**
     * Makes a SERVER certificate with a key, unrevoked and currently valid, the one the server presents;
     * announced on {@code Topics.SERVER_CERTIFICATE_CHANGED}. Refused (with the reason) otherwise.
     */
    CertificateInfo setServerCertificate(long certificateId, String actor);

    /** The key and chain of a certificate whose key the store holds (for TLS endpoints); empty otherwise. */
    Optional<TlsIdentity> tlsIdentity(long certificateId);

    CaInfo createCa(CaRequest request, String actor);

    /**
     * Imports a CA with its key: a PKCS#12 ({@code password} opens it) or PEM/DER certificate with
     * {@code key} (PEM, plain or encrypted with {@code password}, or DER PKCS#8).
     */
    CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup,
            String actor);

    /**
     * Deletes a CA: refused while it has unexpired unrevoked certificates or a {@link CaDeletionGuard}
     * objects, unless {@code forceReason} is given (then recorded). The CA keeps its record, loses its key.
     */
    CaInfo deleteCa(long caId, String forceReason, String actor);

    /** Why deleting the CA would be refused right now; empty when it would not. */
    List<String> caDeletionBlockers(long caId);

    CertificateInfo issue(IssueRequest request, String actor);

    /** Issues many certificates at once; group-committed, so much faster than one by one. All or none. */
    List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor);

    /**
     * Imports third-party certificates (PEM with one or more, DER, PKCS#12) to watch; keys are not kept. What
     * the store has already (as a certificate or a CA) is left as it is and reported; the rest is stored. A file
     * that cannot be read, or a new certificate that is refused, refuses the whole import and stores nothing.
     */
    ImportResult importCertificates(byte[] data, char[] password, ImportOptions options, String actor);

    /**
     * Imports DER certificates to watch, as {@link #importCertificates(byte[], char[], ImportOptions, String)}
     * imports a file holding them in this order (the first one is what {@link ImportOptions#replaces()} names),
     * for callers that hold certificates already and no file: no container to read, no password.
     *
     * @since 2.2
     */
    default ImportResult importDerCertificates(List<byte[]> certificates, ImportOptions options, String actor) {
        // a store that reads files only gets them as the PEM bundle they would be
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (byte[] der : certificates) {
            pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(der))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return importCertificates(pem.toString().getBytes(StandardCharsets.US_ASCII), null, options,
                actor);
    }

    CertificateInfo renew(long certificateId, RenewRequest request, String actor);

    /**
     * Records that monitored certificate {@code successorId} replaced monitored certificate {@code predecessorId}
     * where it was used: the old one stops alarming. Refused unless both are MONITORED and distinct, or when the
     * old one has another successor already. Announced on {@code Topics.CERTIFICATE_CHANGED} (both ids).
     */
    CertificateInfo supersede(long predecessorId, long successorId, String actor);

    /**
     * Retires a monitored certificate (no location holds it, or its watching was stopped: it keeps its expiry
     * status and never alarms) or, with {@code retired} false, takes it back. Refused for issued certificates.
     * Announced on {@code Topics.CERTIFICATE_CHANGED}; no change when it is in that state already.
     */
    CertificateInfo setRetired(long certificateId, boolean retired, String actor);

    /**
     * Deletes a monitored certificate's record (audited); its id is never reused, links to it are cleared.
     * Refused for issued certificates (revoke those). Announced on {@code Topics.CERTIFICATE_DELETED}.
     */
    void deleteMonitored(long certificateId, String actor);

    CertificateInfo revoke(long certificateId, RevocationReason reason, String actor);

    /**
     * Revokes many certificates at once: one durable write and one CRL per CA instead of one each. Already
     * revoked ones are skipped; returns those revoked now. The default revokes one by one.
     */
    default List<CertificateInfo> revokeAll(List<Long> certificateIds, RevocationReason reason, String actor) {
        List<CertificateInfo> out = new java.util.ArrayList<>();
        for (long id : certificateIds) {
            if (certificate(id).map(c -> !c.revoked()).orElse(false)) {
                out.add(revoke(id, reason, actor));
            }
        }
        return out;
    }

    /** Exports a certificate; PKCS12 needs {@code password} and includes the key when the store has it. */
    byte[] export(long certificateId, ExportFormat format, char[] password, String actor);

    /** Exports a CA certificate (PEM/DER) or, as PKCS12 with password, its key too. */
    byte[] exportCa(long caId, ExportFormat format, char[] password, String actor);

    /** The CA's current CRL, DER or PEM. */
    byte[] crl(long caId, boolean pem);

    /** Re-encrypts every private key under a new password, atomically. */
    void rekey(char[] newPassword, String actor);
}
