package org.certwatch.api.store;

/**
 * Encrypts small secrets (keystore passwords of watched files, endpoint credentials) under the store's key
 * password, the way the store keeps its private keys, so a copy of the data folder alone does not reveal them.
 */
public interface SecretSealer {
    /** An opaque, self-describing sealed form (printable ASCII), safe to keep on disk. */
    String seal(char[] secret);

    /** The secret again; throws {@link CertificateStoreException} when it was not sealed by this store's key. */
    char[] open(String sealed);
}
