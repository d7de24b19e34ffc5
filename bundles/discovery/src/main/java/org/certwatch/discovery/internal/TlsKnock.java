package org.certwatch.discovery.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One connect and TLS handshake to an address and port, trusting anything: discovery only asks whether a TLS server
 * answers there and what leaf it shows (the TLS probe judges the chain once it is an endpoint). Bounded by a connect
 * and a handshake timeout; every failure is "nothing there".
 */
final class TlsKnock {
    private final SSLSocketFactory factory;
    private final int connectMillis;
    private final int handshakeMillis;

    TlsKnock(Duration connectTimeout, Duration handshakeTimeout) {
        this.connectMillis = (int) connectTimeout.toMillis();
        this.handshakeMillis = (int) handshakeTimeout.toMillis();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            this.factory = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JVM: " + e.getMessage(), e);
        }
    }

    /** The leaf the server presented, or empty when nothing answered with a TLS handshake in time. */
    Optional<X509Certificate> knock(InetAddress address, int port) {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), connectMillis);
            plain.setSoTimeout(handshakeMillis);
            try (SSLSocket tls = (SSLSocket) factory.createSocket(plain, address.getHostAddress(), port, false)) {
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return chain.length > 0 && chain[0] instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Discovery reads what is presented without judging it. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // not a server
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // everything is accepted: the probe judges trust later
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
