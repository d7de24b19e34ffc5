package org.certwatch.api.store;

import java.time.Duration;

/**
 * Asks for a new self-signed CA.
 *
 * @param subject an X.500 name ({@code CN=Example CA,O=Example}) or a plain common name
 * @param keyType null for the default, EC P-256
 * @param validity null for the default, 10 years; the CA is valid from now
 */
public record CaRequest(String subject, KeyType keyType, Duration validity, String description, String homeGroup) {
    public static CaRequest of(String subject) {
        return new CaRequest(subject, null, null, null, null);
    }
}
