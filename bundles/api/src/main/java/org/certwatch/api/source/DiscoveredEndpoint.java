package org.certwatch.api.source;

import java.time.Instant;

/**
 * A TLS endpoint a discovery scan found that is not an endpoint yet (waiting for approval).
 *
 * @param subject the presented leaf's subject, for the admin to recognise it
 * @param notAfter the presented leaf's expiry
 */
public record DiscoveredEndpoint(String rangeId, String host, int port, String subject, Instant notAfter,
        Instant foundAt) {
}
