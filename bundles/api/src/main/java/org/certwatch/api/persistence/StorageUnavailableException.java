package org.certwatch.api.persistence;

/**
 * The backend cannot be reached or refused the operation; nothing was changed. The web answers 503
 * and SNMP a {@code resourceUnavailable}/{@code genErr} for a write that meets it.
 */
public class StorageUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StorageUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
