package org.certwatch.api.store;

/**
 * How to import third-party certificates for monitoring.
 *
 * @param caId null, or the CA every imported certificate must be signed by (the signature is checked)
 * @param description stored with each certificate
 * @param homeGroup null for the root group
 * @param replaces null, or the monitored certificate the file's first certificate replaces where it is used: it
 *     becomes that one's successor, and the old one stops alarming
 */
public record ImportOptions(Long caId, String description, String homeGroup, Long replaces) {
    public ImportOptions(Long caId, String description, String homeGroup) {
        this(caId, description, homeGroup, null);
    }

    public static ImportOptions defaults() {
        return new ImportOptions(null, null, null, null);
    }
}
