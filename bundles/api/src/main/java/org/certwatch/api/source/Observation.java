package org.certwatch.api.source;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one check of a location saw: either the certificates held there, or why they could not be read.
 *
 * @param location where
 * @param at when the check ran (the source's injected clock)
 * @param chain DER certificates, the one in use first (a file's leaf, a keystore entry's certificate, an endpoint's
 *     leaf), then the rest of the chain as held or presented; empty exactly when {@code failure} is set
 * @param failure null when read
 * @param reason one line a person reads, naming the file or endpoint, e.g. "/etc/ssl/a.p12: wrong password";
 *     empty when read
 * @param findings what is wrong with the chain or the endpoint besides the leaf's expiry; empty when failed
 *     (since 1.2)
 * @param probe how an endpoint's handshake went; null for files and failed checks (since 1.2)
 */
public record Observation(LocationRef location, Instant at, List<byte[]> chain, LocationFailure failure,
        String reason, List<Finding> findings, EndpointProbe probe) {
    public Observation {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(at, "at");
        chain = List.copyOf(chain);
        reason = reason == null ? "" : reason;
        findings = findings == null ? List.of() : List.copyOf(findings);
        if (chain.isEmpty() == (failure == null)) {
            throw new IllegalArgumentException("an observation has a chain or a failure, not both or neither");
        }
    }

    /** An observation without findings or probe details (the 1.0 shape). */
    public Observation(LocationRef location, Instant at, List<byte[]> chain, LocationFailure failure, String reason) {
        this(location, at, chain, failure, reason, List.of(), null);
    }

    public static Observation read(LocationRef location, Instant at, List<byte[]> chain) {
        return new Observation(location, at, chain, null, "");
    }

    /** @since 1.2 */
    public static Observation read(LocationRef location, Instant at, List<byte[]> chain, List<Finding> findings,
            EndpointProbe probe) {
        return new Observation(location, at, chain, null, "", findings, probe);
    }

    public static Observation failed(LocationRef location, Instant at, LocationFailure failure, String reason) {
        return new Observation(location, at, List.of(), failure, reason);
    }

    public boolean succeeded() {
        return failure == null;
    }
}
