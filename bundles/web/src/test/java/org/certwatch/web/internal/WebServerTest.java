package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real TLS on loopback: the connector serves the key material it was given and swaps it live. */
class WebServerTest {
    @TempDir
    Path dir;

    @Test
    void reloadSwapsTheServerCertificateForNewHandshakesWithoutARestart() throws Exception {
        TlsMaterial first = keyStore("first");
        TlsMaterial second = keyStore("second");
        try (TestWeb web = new TestWeb()) {
            web.seed();
            WebServer server = new WebServer("127.0.0.1", 0, first,
                    new WebHandler(web, new Sessions(web.clock, java.time.Duration.ofMinutes(5), 3,
                            java.time.Duration.ofSeconds(5)), new VerifiedCredentials(web.clock, TestWeb.BASIC_CACHE),
                            java.time.Duration.ofDays(90), false));
            server.start();
            try {
                assertEquals("CN=first", peer(server.port()));
                server.reload(second);
                assertEquals("CN=second", peer(server.port()));
                String reply = get(server.port(), "/static/style.css");
                assertTrue(reply.startsWith("HTTP/1.1 200") && reply.contains("Strict-Transport-Security"), reply);
                // SNI naming a host the certificate does not carry is fine (sniHostCheck off)
                assertTrue(get(server.port(), "/crl/1.crl").startsWith("HTTP/1.1 200"));
                // ALPN: curl negotiates h2, and http/1.1 when it asks for that only
                assertEquals("2 200", curl(server.port(), "--http2"));
                assertEquals("1.1 200", curl(server.port(), "--http1.1"));
            } finally {
                server.stop();
            }
        }
    }

    private static String curl(int port, String version) throws Exception {
        Process p = new ProcessBuilder("curl", "-sk", version, "-o", "/dev/null", "-w", "%{http_version} %{http_code}",
                "https://localhost:" + port + "/static/style.css").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out.trim();
    }

    private TlsMaterial keyStore(String name) throws Exception {
        Path file = dir.resolve(name + ".p12");
        Process p = new ProcessBuilder("keytool", "-genkeypair", "-keystore", file.toString(), "-storetype", "PKCS12",
                "-storepass", "password", "-alias", name, "-dname", "CN=" + name, "-keyalg", "EC", "-validity", "2")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            ks.load(in, "password".toCharArray());
        }
        return new TlsMaterial(ks, "password", null);
    }

    private static SSLSocket connect(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // the test only reads which certificate is presented
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static String peer(int port) throws Exception {
        try (SSLSocket socket = connect(port)) {
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static String get(int port, String path) throws Exception {
        try (SSLSocket socket = connect(port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: elsewhere.example\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
