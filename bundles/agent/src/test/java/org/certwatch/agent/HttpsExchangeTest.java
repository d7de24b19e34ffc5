package org.certwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.certwatch.testing.SelfSignedKeyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the agent's one-request HTTPS client reports a server that refuses its certificate. TLS 1.3 lets the client
 * finish its handshake before the server has judged the client certificate, so the refusal reaches the client as an
 * alert, a reset or a broken pipe, depending on timing; every one of them must read as a refusal, never as a bare
 * "Broken pipe".
 */
class HttpsExchangeTest {
    private static KeyManagerFactory keys;
    private static TrustManagerFactory trust;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        KeyStore ks = SelfSignedKeyStore.p256(dir, "CN=localhost");
        keys = KeyManagerFactory.getInstance("PKIX");
        keys.init(ks, SelfSignedKeyStore.PASSWORD.toCharArray());
        trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(ks);
    }

    private static SSLContext context(TrustManager[] trustManagers) throws Exception {
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trustManagers, null);
        return context;
    }

    /** A server that completes the handshake, then resets the connection without a word (no alert, no close_notify). */
    @Test
    void aResetRightAfterTheHandshakeReadsAsARefusalWhateverTheBodySize() throws Exception {
        SSLContext server = context(trust.getTrustManagers());
        SSLContext client = context(trust.getTrustManagers());
        for (int size : new int[] {2, 64 * 1024, 8 * 1024 * 1024}) {
            try (ServerSocket listener = new ServerSocket(0)) {
                CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                    try (Socket raw = listener.accept()) {
                        SSLSocket tls = (SSLSocket) server.getSocketFactory().createSocket(raw, null, raw.getPort(), false);
                        tls.setUseClientMode(false);
                        tls.setNeedClientAuth(true);
                        tls.startHandshake();
                        raw.setSoLinger(true, 0);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
                byte[] body = new byte[size];
                IOException e = assertThrows(IOException.class, () -> HttpsExchange.post(new HttpsExchange.Client(client), "127.0.0.1",
                        listener.getLocalPort(), "/agent/v1/replicate", body, 30_000, true, TlsVersion.TLS13));
                served.get(30, TimeUnit.SECONDS);
                assertTrue(e instanceof SSLHandshakeException, size + " bytes: " + e);
                assertTrue(e.getMessage().startsWith("the server refused this agent's certificate (it hung up"),
                        size + " bytes: " + e.getMessage());
                assertNull(e.getCause(), "the agent reports an SSLException by its deepest cause");
            }
        }
    }

    /** A real JSSE server that refuses the client certificate: the refusal in words with its alert or the hang-up, never "Broken pipe". */
    @Test
    void aServerRefusingTheClientCertificateIsReportedAsSuch() throws Exception {
        X509TrustManager refuseAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
                throw new CertificateException("revoked (test)");
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext server = context(new TrustManager[] {refuseAll});
        SSLContext client = context(trust.getTrustManagers());
        Map<String, Integer> refusals = new TreeMap<>();
        for (int round = 0; round < 20; round++) {
            int size = round % 2 == 0 ? 100 : 4 * 1024 * 1024;
            try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
                listener.setNeedClientAuth(true);
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                    try (SSLSocket s = (SSLSocket) listener.accept()) {
                        s.startHandshake();
                        return "accepted";
                    } catch (IOException e) {
                        return "refused";
                    }
                });
                IOException e = assertThrows(IOException.class, () -> HttpsExchange.post(new HttpsExchange.Client(client), "127.0.0.1",
                        listener.getLocalPort(), "/agent/v1/replicate", new byte[size], 30_000, true, TlsVersion.TLS13));
                assertEquals("refused", served.get(30, TimeUnit.SECONDS));
                assertTrue(e instanceof SSLHandshakeException, "round " + round + ": " + e);
                assertTrue(e.getMessage().startsWith("the server refused this agent's certificate ("),
                        "round " + round + ": " + e.getMessage());
                assertNull(e.getCause(), "the agent reports an SSLException by its deepest cause");
                refusals.merge(e.getMessage().contains("Received fatal alert") ? "alert" : "hang-up", 1, Integer::sum);
            }
        }
        System.out.println("refusals seen as: " + refusals);
    }

    /**
     * The request leaves as one TLS record, so the server's first read after the handshake holds all of it: sent as
     * head and body apart, the body waited (Nagle) for the server's delayed ACK of the head, about 40 ms a request.
     */
    @Test
    void theRequestIsOneRecord() throws Exception {
        SSLContext server = context(trust.getTrustManagers());
        byte[] body = "{\"hostName\":\"pc-1\"}".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0)) {
            listener.setNeedClientAuth(true);
            CompletableFuture<String> firstRead = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.startHandshake();
                    byte[] buffer = new byte[16 * 1024];
                    int n = s.getInputStream().read(buffer); // at most one record's data
                    s.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    return new String(buffer, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            HttpsExchange.Response response = HttpsExchange.post(new HttpsExchange.Client(context(trust.getTrustManagers())),
                    "127.0.0.1", listener.getLocalPort(), "/agent/v1/replicate", body, 30_000, true, TlsVersion.TLS12);
            assertEquals(200, response.status());
            String request = firstRead.get(30, TimeUnit.SECONDS);
            assertTrue(request.startsWith("POST /agent/v1/replicate HTTP/1.1\r\n"), request);
            assertTrue(request.endsWith("\r\n\r\n{\"hostName\":\"pc-1\"}"), "head and body in the first read: " + request);
        }
    }
}
