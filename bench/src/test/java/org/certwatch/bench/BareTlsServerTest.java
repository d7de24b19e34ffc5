package org.certwatch.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.certwatch.testing.TestCertificates;
import org.junit.jupiter.api.Test;

/**
 * The fleet benchmark's bare JDK anchor over real TLS on loopback: it answers one request per connection with its
 * fixed answer, asks for a client certificate and refuses one its CA did not sign, and resumes sessions — without
 * resumption its "resumed" figure would be a full handshake's.
 */
class BareTlsServerTest {
    private static final char[] PASSWORD = "test".toCharArray();
    private final X509Certificate server = TestCertificates.selfSigned("bare-anchor-test");

    @Test
    void answersOneRequestAndResumesTls12Sessions() throws Exception {
        SSLSession[] two = twoConnections("TLSv1.2");
        assertArrayEquals(two[0].getId(), two[1].getId(), "the second connection resumed the first one's session");
        assertEquals(two[0].getCreationTime(), two[1].getCreationTime());
        assertEquals("CN=bare-anchor-test", two[0].getLocalPrincipal().getName(), "the client certificate was asked for");
    }

    @Test
    void resumesTls13Sessions() throws Exception {
        SSLSession[] two = twoConnections("TLSv1.3");
        // a TLS 1.3 resumption is a new session made from the ticket's: its creation time is the first one's
        assertEquals(two[0].getCreationTime(), two[1].getCreationTime(), "the second connection resumed from a ticket");
        assertFalse(Arrays.equals(two[0].getId(), two[1].getId()));
    }

    /** Two requests of one client, each on its own connection, as a simulated agent makes them. */
    private SSLSession[] twoConnections(String protocol) throws Exception {
        SSLContext client = client(server);
        try (BareTlsServer.Running running = BareTlsServer.start(BareTlsServer.context(keys(server), PASSWORD), 4)) {
            return new SSLSession[] {post(client, running.port(), protocol), post(client, running.port(), protocol)};
        }
    }

    @Test
    void refusesAClientCertificateItsCaDidNotSign() throws Exception {
        SSLContext stranger = client(TestCertificates.selfSigned("stranger"));
        try (BareTlsServer.Running running = BareTlsServer.start(BareTlsServer.context(keys(server), PASSWORD), 4)) {
            assertThrows(IOException.class, () -> post(stranger, running.port(), "TLSv1.2"));
        }
    }

    @Test
    void readsTheContentLengthOfARequestHead() throws IOException {
        assertEquals(42, BareTlsServer.contentLength(stream("POST / HTTP/1.1\r\nHost: x\r\ncontent-length: 42\r\n\r\n")));
        assertEquals(0, BareTlsServer.contentLength(stream("POST / HTTP/1.1\r\n\r\n")));
        assertThrows(IOException.class, () -> BareTlsServer.contentLength(stream("POST / HTTP/1.1\r\nHost: x\r\n")));
    }

    /** One request on its own connection, the answer checked; the session it used. */
    private static SSLSession post(SSLContext context, int port, String protocol) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setSoTimeout(10_000);
            byte[] body = "{\"hostName\":\"x\"}".getBytes(StandardCharsets.US_ASCII);
            socket.getOutputStream().write(("POST /agent/v1/replicate HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length
                    + "\r\nConnection: close\r\n\r\n{\"hostName\":\"x\"}").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            if (!answer.startsWith("HTTP/1.1 200 OK\r\n")) {
                throw new SSLException("no answer: " + answer);
            }
            assertTrue(answer.endsWith("\r\n\r\n" + new String(BareTlsServer.ANSWER, StandardCharsets.US_ASCII)), answer);
            return socket.getSession();
        }
    }

    /** The test key with the given certificate: the server's identity, or a client's. */
    private static KeyStore keys(X509Certificate certificate) throws Exception {
        KeyStore keys = KeyStore.getInstance("JKS");
        keys.load(new ByteArrayInputStream(TestCertificates.jksWithKey(PASSWORD, certificate, certificate)), PASSWORD);
        return keys;
    }

    /**
     * A client presenting {@code identity} whatever issuers the server names, as the agent does (the JDK's key
     * manager would send no certificate, which a server that only wants one accepts), trusting the server's.
     */
    private SSLContext client(X509Certificate identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys(identity), PASSWORD);
        X509ExtendedKeyManager keys = (X509ExtendedKeyManager) kmf.getKeyManagers()[0];
        X509ExtendedKeyManager always = new X509ExtendedKeyManager() {
            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return "web";
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return new String[] {"web"};
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                return keys.getCertificateChain(alias);
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return keys.getPrivateKey(alias);
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        };
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("server", server);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {always}, tmf.getTrustManagers(), new SecureRandom());
        return context;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
