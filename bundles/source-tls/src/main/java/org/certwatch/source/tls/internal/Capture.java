package org.certwatch.source.tls.internal;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.source.EndpointProbe;

/**
 * What one successful check captured.
 *
 * @param chain as presented, leaf first
 * @param stapledOcsp the OCSP responses the server stapled (DER), for the revocation check
 * @param oldProtocol the TLS 1.1 or older protocol the server accepted, empty when none or not checked
 */
record Capture(List<X509Certificate> chain, List<byte[]> stapledOcsp, EndpointProbe probe,
        Optional<String> oldProtocol) {
}
