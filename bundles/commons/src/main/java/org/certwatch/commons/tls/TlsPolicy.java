package org.certwatch.commons.tls;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The one TLS policy of certwatch's HTTPS endpoints (web, agent) and of the agent client: TLS 1.3 and
 * TLS 1.2, and in TLS 1.2 only ECDHE with AEAD suites, as Mozilla's "intermediate" profile. CBC suites
 * are left out (testssl.sh: LUCKY13), and so is static RSA key exchange (no forward secrecy).
 */
public final class TlsPolicy {
    /** Most preferred first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /** Most preferred first; the TLS 1.3 suites are all AEAD. */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_128_GCM_SHA256",
            "TLS_AES_256_GCM_SHA384",
            "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private TlsPolicy() {
    }

    public static String[] protocols() {
        return PROTOCOLS.toArray(String[]::new);
    }

    public static String[] cipherSuites() {
        return CIPHER_SUITES.toArray(String[]::new);
    }

    /** Restricts a client socket to the policy, keeping only what its provider supports. */
    public static void apply(SSLSocket socket) {
        socket.setEnabledProtocols(supported(PROTOCOLS, socket.getSupportedProtocols()));
        socket.setEnabledCipherSuites(supported(CIPHER_SUITES, socket.getSupportedCipherSuites()));
    }

    /**
     * The policy's suites that the context's provider supports: what {@link #apply} enables, worked out once
     * for a context instead of once per socket (a simulator makes thousands of connections a second).
     */
    public static String[] cipherSuites(SSLContext context) {
        return supported(CIPHER_SUITES, context.getSupportedSSLParameters().getCipherSuites());
    }

    private static String[] supported(List<String> wanted, String[] supported) {
        Set<String> offered = Set.copyOf(Arrays.asList(supported));
        return wanted.stream().filter(offered::contains).toArray(String[]::new);
    }
}
