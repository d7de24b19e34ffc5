package org.certwatch.api.source;

import java.util.List;
import java.util.Optional;

/**
 * Discovery of TLS endpoints by address range (feature {@code tls-probe}); for server administrators only (the
 * callers check that). Scans are bounded in size and rate limited by configuration; this service refuses a range
 * beyond the bounds with {@link IllegalArgumentException} naming the bound.
 *
 * @since 1.2
 */
public interface Discovery {
    List<DiscoveryRange> ranges();

    Optional<DiscoveryRange> range(String id);

    DiscoveryRange create(DiscoveryRange range, String actor);

    DiscoveryRange update(DiscoveryRange range, String actor);

    void delete(String id, String actor);

    /** Starts a scan of the range off the caller's thread (audited); a scan already running is not started twice. */
    void run(String id, String actor);

    /** Whether a scan of the range runs now. */
    boolean running(String id);

    /** Found endpoints awaiting approval, in the order found. */
    List<DiscoveredEndpoint> candidates();

    /** Makes a candidate an endpoint of its range's group (audited) and removes it from the candidates. */
    Endpoint approve(String host, int port, String actor);

    /** Drops a candidate (audited); a later scan lists it again only if it was not dismissed (kept per range). */
    void dismiss(String host, int port, String actor);
}
