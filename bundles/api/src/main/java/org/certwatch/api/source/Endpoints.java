package org.certwatch.api.source;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The TLS probe source's endpoints (feature {@code tls-probe}). Changes are durable when a method returns,
 * audited, and take effect at once (a new or changed endpoint is checked soon). Endpoints on arbitrary hosts are
 * for server administrators: the callers (web, console) check that; this service refuses a bad endpoint (port,
 * interval below the minimum, unparsable extra CA, duplicate address) with {@link IllegalArgumentException} naming
 * the reason.
 *
 * @since 1.2
 */
public interface Endpoints {
    List<Endpoint> endpoints();

    Optional<Endpoint> endpoint(String id);

    Endpoint create(Endpoint endpoint, String actor);

    Endpoint update(Endpoint endpoint, String actor);

    /** Stops checking it; its location becomes GONE (its certificates retire without alarm). */
    void delete(String id, String actor);

    /** Checks it now, off the caller's thread; the result arrives at the registry like any check. */
    void checkNow(String id);

    /** The interval an endpoint without its own gets. */
    Duration defaultInterval();

    /** The shortest interval accepted. */
    Duration minimumInterval();
}
