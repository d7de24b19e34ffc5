package org.certwatch.api.source;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An address range and port list that discovery scans for TLS endpoints.
 *
 * @param id assigned on create (ignored then), stable afterwards
 * @param addresses a CIDR block ({@code 192.0.2.0/28}, {@code 2001:db8::/124}) or a range
 *     ({@code 192.0.2.1-192.0.2.20}); its size is bounded by configuration
 * @param ports the TCP ports tried at each address (direct TLS)
 * @param homeGroup the group the endpoints found join
 * @param every how often it is scanned; null: only when run
 * @param addFound whether found endpoints become endpoints at once; false: listed for approval
 * @param lastRun when the last scan finished, null before the first
 */
public record DiscoveryRange(String id, String addresses, List<Integer> ports, String homeGroup, Duration every,
        boolean addFound, String description, Instant createdAt, Instant lastRun) {
    public DiscoveryRange {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(homeGroup, "homeGroup");
        ports = List.copyOf(ports);
        description = description == null ? "" : description;
    }
}
