package org.certwatch.source.tls.internal;

import java.time.Duration;

/** The limits of one check, from the configuration. */
record ProbeBounds(Duration connectTimeout, Duration deadline, Duration readTimeout, int maxCertificates,
        int maxHandshakeBytes, boolean checkOldProtocols) {

    static ProbeBounds of(TlsProbeConfiguration c) {
        return new ProbeBounds(Duration.ofMillis(c.connect_timeout_ms()), Duration.ofMillis(c.handshake_timeout_ms()),
                Duration.ofMillis(c.read_timeout_ms()), c.max_certificates(), c.max_handshake_bytes(),
                c.check_old_protocols());
    }
}
