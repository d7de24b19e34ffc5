package org.certwatch.source.tls.internal.starttls;

import org.certwatch.api.source.EndpointProtocol;

/** The dialect for each STARTTLS protocol. */
public final class StartTlsDialects {
    private StartTlsDialects() {
    }

    /** @throws IllegalArgumentException for {@link EndpointProtocol#TLS} and protocols without a dialect */
    public static StartTlsDialect of(EndpointProtocol protocol) {
        throw new IllegalArgumentException("STARTTLS for " + protocol + " is not supported");
    }
}
