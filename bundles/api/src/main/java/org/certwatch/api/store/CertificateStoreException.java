package org.certwatch.api.store;

/** A refused store operation; the message says what is wrong, and the store is unchanged. */
public class CertificateStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CertificateStoreException(String message) {
        super(message);
    }

    public CertificateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
