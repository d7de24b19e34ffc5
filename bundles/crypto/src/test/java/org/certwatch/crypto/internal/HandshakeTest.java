package org.certwatch.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Security;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.certwatch.testing.SelfSignedKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS 1.3 handshake through the JDK's JSSE with the provider first: ECDSA certificate, X25519 key share. */
class HandshakeTest {
    @AfterEach
    void remove() {
        Security.removeProvider(HandshakeCryptoProvider.NAME);
    }

    @Test
    void tls13WithAnEcdsaCertificateAndMutualAuthentication(@TempDir Path dir) throws Exception {
        KeyStore ks = SelfSignedKeyStore.p256(dir, "CN=localhost");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, SelfSignedKeyStore.PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(ks);
        assertTrue(HandshakeCryptoComponent.install());
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0)) {
            server.setNeedClientAuth(true);
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    int b = s.getInputStream().read();
                    s.getOutputStream().write(b + 1);
                    return s.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket client = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
                client.startHandshake();
                client.getOutputStream().write(41);
                assertEquals(42, client.getInputStream().read());
                assertEquals("TLSv1.3", client.getSession().getProtocol());
                assertEquals("CN=localhost", client.getSession().getPeerPrincipal().getName());
            }
            assertEquals("CN=localhost", served.get(30, TimeUnit.SECONDS), "the client certificate was verified");
        }
    }
}
