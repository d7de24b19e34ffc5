package org.certwatch.api.source;

import java.time.Duration;
import java.util.Objects;

/**
 * How the handshake of a successful endpoint check went (what ssl_exporter's probe gauges show).
 *
 * @param protocol the negotiated protocol, e.g. {@code TLSv1.3}
 * @param cipherSuite the negotiated suite
 * @param duration connect, STARTTLS and handshake together
 * @param peerAddress the address connected to, e.g. {@code 192.0.2.7:443} or {@code [2001:db8::7]:443}
 * @param ocspStapled whether the server stapled an OCSP response
 */
public record EndpointProbe(String protocol, String cipherSuite, Duration duration, String peerAddress,
        boolean ocspStapled) {
    public EndpointProbe {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(cipherSuite, "cipherSuite");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(peerAddress, "peerAddress");
    }
}
