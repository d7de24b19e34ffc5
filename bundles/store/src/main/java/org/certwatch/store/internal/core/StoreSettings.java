package org.certwatch.store.internal.core;

import java.time.Duration;

/**
 * Tunables of the store (from the component configuration).
 *
 * @param clockSkew how far notBefore of new certificates lies in the past, so clients whose clock is
 *     a little behind accept them (the reference product uses one day)
 * @param crlBaseUrl the CRL distribution point written into certificates: {@code <base>/<caId>.crl}
 * @param crlValidity nextUpdate - thisUpdate of every CRL; CRLs are re-issued when a third remains
 * @param certificateValidity default validity of peer certificates (capped at the CA's end)
 * @param caValidity default validity of new CAs
 * @param keyIterations PBKDF2 iterations for a new store's key encryption (at least 600,000)
 */
public record StoreSettings(Duration clockSkew, String crlBaseUrl, Duration crlValidity,
        Duration certificateValidity, Duration caValidity, int keyIterations) {

    public static StoreSettings defaults() {
        return new StoreSettings(Duration.ofDays(1), "https://localhost:8443/crl", Duration.ofDays(7),
                Duration.ofDays(730), Duration.ofDays(3652), 600_000);
    }

    public StoreSettings withKeyIterations(int value) {
        return new StoreSettings(clockSkew, crlBaseUrl, crlValidity, certificateValidity, caValidity, value);
    }
}
