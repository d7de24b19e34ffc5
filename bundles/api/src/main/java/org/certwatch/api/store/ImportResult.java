package org.certwatch.api.store;

import java.util.List;

/**
 * What an import of certificates to monitor did: it stores what is new and leaves what the store has
 * already, so a bundle whose chain is known still brings in its new leaf.
 *
 * @param imported the certificates stored now, in file order
 * @param alreadyPresent the certificates of the file the store had before, in file order
 */
public record ImportResult(List<CertificateInfo> imported, List<AlreadyPresent> alreadyPresent) {
    public ImportResult {
        imported = List.copyOf(imported);
        alreadyPresent = List.copyOf(alreadyPresent);
    }

    /**
     * A certificate of the file that the store has: as a certificate, as a CA, or both.
     *
     * @param fingerprint SHA-256 of the DER certificate, lower-case hex without separators
     * @param certificateId the store's certificate with this fingerprint, 0 if none
     * @param caId the store's CA with this fingerprint, 0 if none
     */
    public record AlreadyPresent(String subject, String fingerprint, long certificateId, long caId) {
        /** "certificate 5", "CA 2" or "certificate 5 and CA 2". */
        public String where() {
            String cert = certificateId == 0 ? "" : "certificate " + certificateId;
            String ca = caId == 0 ? "" : "CA " + caId;
            return cert.isEmpty() ? ca : ca.isEmpty() ? cert : cert + " and " + ca;
        }
    }
}
