package org.certwatch.source.tls.internal;

import org.certwatch.api.source.LocationFailure;

/** A check that read no chain, and why; the reason names the endpoint. */
final class ProbeFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient LocationFailure failure;

    ProbeFailure(LocationFailure failure, String reason) {
        super(reason, null, false, false);
        this.failure = failure;
    }

    LocationFailure failure() {
        return failure;
    }
}
