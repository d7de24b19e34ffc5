package org.certwatch.api.store;

/**
 * How to import third-party certificates for monitoring.
 *
 * @param caId null, or the CA every imported certificate must be signed by (the signature is checked)
 * @param description stored with each certificate
 * @param homeGroup null for the root group
 */
public record ImportOptions(Long caId, String description, String homeGroup) {
    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null);
    }
}
