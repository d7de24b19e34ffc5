package org.certwatch.api.store;

/** What {@link CertificateStore#export} produces. */
public enum ExportFormat {
    /** The certificate alone, PEM. */
    PEM,
    /** The certificate alone, DER. */
    DER,
    /** The certificate followed by its issuing CA's certificate, PEM. */
    PEM_CHAIN,
    /** Key (when the store holds it), certificate and chain, password-protected with AES-256 + PBKDF2. */
    PKCS12
}
