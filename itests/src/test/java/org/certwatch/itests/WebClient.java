package org.certwatch.itests;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTPS to a running server, verifying its certificate against the CA it was issued by (fetched once
 * with {@code openssl s_client}, a real TLS peer) and the host name {@code localhost}.
 */
final class WebClient {
    record Reply(int status, Map<String, List<String>> headers, String body, byte[] bytes) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(), List.of()).stream().findFirst().orElse(null);
        }
    }

    final int port;
    final Path caPem;
    final String servedFingerprint;
    private final HttpClient http;
    private final SSLContext ssl;

    WebClient(int port, Path work) throws Exception {
        this.port = port;
        List<String> chain = servedChain(port);
        if (chain.size() < 2) {
            throw new AssertionError("the server presents no chain: " + chain.size() + " certificate(s)");
        }
        caPem = Files.writeString(work.resolve("served-ca.pem"), chain.get(chain.size() - 1));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caPem)));
        X509Certificate leaf = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(chain.get(0).getBytes(StandardCharsets.US_ASCII)));
        servedFingerprint = hex(java.security.MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        // HTTP/1.1: the JDK client waits forever on an HTTP/2 stream the server answered early (413) and
        // reset; HTTP/2 itself is tested with curl
        http = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    static List<String> servedChain(int port) throws Exception {
        Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", "localhost",
                "-showcerts").redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        p.waitFor(30, TimeUnit.SECONDS);
        List<String> pems = new ArrayList<>();
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----\n?").matcher(out);
        while (m.find()) {
            pems.add(m.group());
        }
        return pems;
    }

    /** A request; a body for the API goes as application/json unless the headers name another type. */
    Reply send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers(b, path, body != null, headers);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.headers().map(), new String(r.body(), StandardCharsets.UTF_8), r.body());
    }

    /** A body sent as these bytes exactly (not necessarily UTF-8). */
    Reply sendBytes(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .timeout(Duration.ofSeconds(60)).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        headers(b, path, true, headers);
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.headers().map(), new String(r.body(), StandardCharsets.UTF_8), r.body());
    }

    /** The API takes bodies as JSON only (415 otherwise): the type is sent unless a test names one. */
    private static void headers(HttpRequest.Builder b, String path, boolean body, String... headers) {
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body && !typed && path.startsWith("/api/v1/")) {
            b.header("Content-Type", "application/json");
        }
    }

    /** A TLS connection to the server (handshake done) for requests no HTTP client would send. */
    javax.net.ssl.SSLSocket rawSocket() throws java.io.IOException {
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ssl.getSocketFactory().createSocket("localhost", port);
        s.setSoTimeout(60_000);
        s.startHandshake();
        return s;
    }

    Reply get(String path, String... headers) throws Exception {
        return send("GET", path, null, headers);
    }

    /** A GET's body with HTTP Basic, "" on any failure (for polling). */
    String getQuietly(String path, String authorization) {
        try {
            return get(path, "Authorization", authorization).body();
        } catch (Exception e) {
            return "";
        }
    }

    /**
     * Waits until {@code authorization} signs in: the web may listen before the fleet registers the user
     * directory (503 until then), and users created through Gogo are bound a moment later.
     */
    void awaitSignIn(String authorization, Duration timeout) {
        org.certwatch.testing.CertwatchServer.await("a sign-in on port " + port, timeout, () -> {
            try {
                return get("/api/v1/session", "Authorization", authorization).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-password").getBytes(StandardCharsets.UTF_8));
    }

    /** Form login; returns the Cookie header value and the CSRF token from the session endpoint. */
    String[] login(String user) throws Exception {
        return login(user, user + "-password");
    }

    /** As {@link #login(String)}, with another password than NAME-password. */
    String[] login(String user, String password) throws Exception {
        Reply r = send("POST", "/login", "user=" + user + "&password=" + password + "&next=/",
                "Content-Type", "application/x-www-form-urlencoded");
        if (r.status() != 303 || r.header("set-cookie") == null) {
            throw new AssertionError("login of " + user + " failed: " + r.status() + " " + r.body());
        }
        String cookie = r.header("set-cookie").split(";")[0];
        Matcher m = Pattern.compile("\"csrf\":\"([^\"]+)\"").matcher(get("/api/v1/session", "Cookie", cookie).body());
        if (!m.find()) {
            throw new AssertionError("no csrf token in the session");
        }
        return new String[] {cookie, m.group(1), r.header("set-cookie")};
    }

    static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }

    /** Runs a command, returns its output; fails on a non-zero exit. */
    static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }
}
