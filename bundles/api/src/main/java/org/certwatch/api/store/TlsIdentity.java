package org.certwatch.api.store;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * What a TLS endpoint needs to present a certificate: its private key and its chain, leaf first
 * (then the issuing CA when the store knows it).
 */
public record TlsIdentity(long certificateId, PrivateKey privateKey, List<X509Certificate> chain) {
    public TlsIdentity {
        chain = List.copyOf(chain);
    }
}
