package org.certwatch.source.tls.internal;

import java.net.Socket;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Accepts every chain so the check captures what the server presents; the chain is judged afterwards, as findings.
 * An {@link X509ExtendedTrustManager}, so the JDK applies no algorithm constraints of its own to the chain (a
 * SHA-1 or RSA-1024 chain is captured and reported, not refused). Public for the probe benchmark's bare-JDK floor,
 * which handshakes as the probe does; the package is not exported.
 */
public final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
        throw new UnsupportedOperationException("a probe is never a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
        // judged afterwards
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        throw new UnsupportedOperationException("a probe is never a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        // judged afterwards
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        throw new UnsupportedOperationException("a probe is never a server");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        // judged afterwards
    }
}
