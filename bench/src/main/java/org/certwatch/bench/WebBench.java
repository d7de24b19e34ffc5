package org.certwatch.bench;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code ./certwatch bench web}: the dashboard and {@code /api/v1/certificates?limit=100} of a real
 * server holding 100,000 certificates, against a bare Jetty handler serving a static page over the
 * same kind of TLS connector in this JVM, driven by the same load generator in alternating rounds.
 */
final class WebBench {
    private static final int CERTIFICATES = Integer.getInteger("certwatch.bench.web.certificates", 100_000);
    /** Certificates per PEM file: the store imports at most 1,000 from one container ({@code ContainerLimits}). */
    private static final int CHUNK = 1_000;
    private static final int CONCURRENCY = 4;
    private static final int ROUNDS = Figure.MIN_SAMPLES;
    private static final Duration WARMUP = Duration.ofSeconds(4);
    private static final Duration MEASURE = Duration.ofSeconds(5);

    private WebBench() {
    }

    record Result(double perSecond, double p50, double p99, long errors) {
    }

    static List<Figure> run() throws Exception {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", bc);
        generator.initialize(256);
        KeyPair caKey = generator.generateKeyPair();
        List<Path> chunks = certificateChunks(caKey, generator.generateKeyPair(), bc);

        // the anchor runs in this JVM with the full JIT, whose AES-GCM intrinsics carry its TLS; the server gets the
        // same JIT (the distribution's options without -XX:TieredStopAtLevel=1, as the fleet and rollover benchmarks
        // run theirs): with C1 alone, three quarters of its CPU time went into Java-coded GHASH and AES, which
        // measured the JIT, not the web bundle. CERTWATCH_BENCH_SERVER_JAVA_OPTS measures other options.
        String serverOpts = serverJavaOpts();
        try (CertwatchServer server = CertwatchServer.prepare("bench-web").quiet().env("CERTWATCH_JAVA_OPTS", serverOpts)
                .env("CERTWATCH_KEY_PASSWORD", "bench-key-password").env("CERTWATCH_ADMIN_PASSWORD", "admin-bench-password")) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("web: listening on https://"), Duration.ofSeconds(120));
            importChunks(server, chunks);

            HttpClient client = client();
            String base = "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT");
            // the dashboard as a browser sees it: one form login, then the session cookie; the API as a
            // script sees it: HTTP Basic on every request, as the curl examples in docs/api.md do
            String cookie = "Cookie: " + login(client, base);
            String basic = "Authorization: Basic " + Base64.getEncoder().encodeToString(
                    "admin:admin-bench-password".getBytes(StandardCharsets.UTF_8));
            Server bare = bareJetty(caKey, bc);
            String bareBase = "https://127.0.0.1:" + ((ServerConnector) bare.getConnectors()[0]).getLocalPort();
            try {
                URI dashboard = URI.create(base + "/");
                URI api = URI.create(base + "/api/v1/certificates?limit=100");
                URI anchor = URI.create(bareBase + "/");
                List<Result> bareResults = new ArrayList<>();
                List<Result> dashResults = new ArrayList<>();
                List<Result> apiResults = new ArrayList<>();
                System.out.printf("server JVM options: %s; answer sizes with gzip accepted: anchor %s, dashboard %s, api %s%n",
                        serverOpts, size(client, anchor, null), size(client, dashboard, cookie), size(client, api, basic));
                load(client, anchor, null, WARMUP);
                load(client, dashboard, cookie, WARMUP);
                load(client, api, basic, WARMUP);
                for (int round = 1; round <= ROUNDS; round++) {
                    bareResults.add(load(client, anchor, null, MEASURE));
                    dashResults.add(load(client, dashboard, cookie, MEASURE));
                    apiResults.add(load(client, api, basic, MEASURE));
                    System.out.printf("round %d: bare %s | dashboard %s | api %s%n", round, bareResults.get(round - 1),
                            dashResults.get(round - 1), apiResults.get(round - 1));
                }
                String anchorName = "bare Jetty static page, same TLS, same load generator";
                List<Figure> figures = new ArrayList<>();
                add(figures, "web: dashboard, 100k certificates", dashResults, bareResults, anchorName);
                add(figures, "web: /api/v1/certificates?limit=100 (HTTP Basic), 100k certificates", apiResults, bareResults, anchorName);
                return figures;
            } finally {
                bare.stop();
            }
        }
    }

    /**
     * The 100,000 certificates as PEM chunks for {@code certwatch:import}: generating 100,000 signatures takes
     * minutes on a busy machine, so an earlier run's set is reused (the metrics benchmark shares it).
     */
    static List<Path> certificateChunks(KeyPair caKey, KeyPair leafKey, BouncyCastleProvider bc) throws Exception {
        Path cache = Path.of(System.getProperty("certwatch.root", ".")).resolve("target/bench/cache/web-" + CERTIFICATES + "-by-" + CHUNK);
        List<Path> chunks = cached(cache);
        if (!chunks.isEmpty()) {
            System.out.println("reusing " + CERTIFICATES + " certificates from " + cache);
            return chunks;
        }
        return certificates(Files.createDirectories(cache), caKey, leafKey, bc);
    }

    /** Imports the chunks into a started server through the gogo bridge. */
    static void importChunks(CertwatchServer server, List<Path> chunks) throws Exception {
        CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
        server.awaitGogo("certwatch:ca-list", Duration.ofSeconds(120));
        long t0 = System.nanoTime();
        for (Path chunk : chunks) {
            String answer = server.gogo("certwatch:import " + chunk);
            // a refused chunk would leave the benchmark measuring an empty server
            if (!answer.startsWith("imported ")) {
                throw new IllegalStateException("certwatch:import " + chunk + ": " + answer.lines().findFirst().orElse(""));
            }
        }
        System.out.printf("imported %d certificates in %.1f s%n", chunks.size() * CHUNK, (System.nanoTime() - t0) / 1e9);
    }

    /** The server's JVM options: the distribution's with the full JIT (see {@link #run}). */
    static String serverJavaOpts() {
        return System.getenv().getOrDefault("CERTWATCH_BENCH_SERVER_JAVA_OPTS",
                CertwatchServer.DEFAULT_JAVA_OPTS.replace(" -XX:TieredStopAtLevel=1", ""));
    }

    /** An HTTPS client that trusts the server's own certificate, HTTP/1.1, no redirects. */
    static HttpClient client() throws Exception {
        return HttpClient.newBuilder().sslContext(trustAll()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static List<Path> cached(Path cache) throws Exception {
        List<Path> chunks = new ArrayList<>();
        for (int i = 0; i < CERTIFICATES / CHUNK; i++) {
            Path chunk = cache.resolve("chunk-" + i + ".pem");
            if (!Files.isRegularFile(chunk)) {
                return List.of();
            }
            chunks.add(chunk);
        }
        return chunks;
    }

    private static void add(List<Figure> figures, String name, List<Result> results, List<Result> anchor, String anchorName) {
        figures.add(new Figure(name + " (" + CONCURRENCY + " clients)", "req/s", results.stream().map(Result::perSecond).toList(),
                anchorName, anchor.stream().map(Result::perSecond).toList(), "≥ 0.3× anchor", true));
        figures.add(new Figure(name + " p50", "ms", results.stream().map(Result::p50).toList(), anchorName,
                anchor.stream().map(Result::p50).toList(), "—", false));
        figures.add(new Figure(name + " p99", "ms", results.stream().map(Result::p99).toList(), anchorName,
                anchor.stream().map(Result::p99).toList(), "≤ 50 ms", false));
    }

    /** CONCURRENCY closed-loop clients for the given time, sending {@code auth} ("Name: value"); every answer must be a 200. */
    static Result load(HttpClient client, URI uri, String auth, Duration duration) throws Exception {
        long deadline = System.nanoTime() + duration.toNanos();
        List<List<Long>> latencies = new ArrayList<>();
        AtomicLong errors = new AtomicLong();
        java.util.concurrent.atomic.AtomicReference<String> firstError = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < CONCURRENCY; i++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            Thread t = new Thread(() -> {
                // as browsers, curl --compressed and Prometheus do; the anchor's small page ignores it
                HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Accept-Encoding", "gzip").GET();
                if (auth != null) {
                    b.header(auth.substring(0, auth.indexOf(':')), auth.substring(auth.indexOf(':') + 2));
                }
                HttpRequest request = b.build();
                while (System.nanoTime() < deadline) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, "HTTP " + r.statusCode());
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
                    }
                    mine.add(System.nanoTime() - t0);
                }
            }, "load-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        all.sort(null);
        if (errors.get() > 0) {
            System.out.println("WARNING: " + errors.get() + " failed requests to " + uri + ", first: " + firstError.get());
        }
        return new Result(all.size() / seconds, all.get(all.size() / 2) / 1e6, all.get((int) (all.size() * 0.99)) / 1e6,
                errors.get());
    }

    /** The bytes one answer carries, and its Content-Encoding. */
    private static String size(HttpClient client, URI uri, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept-Encoding", "gzip").GET();
        if (auth != null) {
            b.header(auth.substring(0, auth.indexOf(':')), auth.substring(auth.indexOf(':') + 2));
        }
        HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        return r.body().length + " B" + r.headers().firstValue("content-encoding").map(e -> " " + e).orElse("");
    }

    private static String login(HttpClient client, String base) throws Exception {
        return login(client, base, "admin", "admin-bench-password");
    }

    /** Form login, retried while the web or fleet bundle is still starting; the session cookie ({@code NAME=value}). */
    static String login(HttpClient client, String base, String user, String password) throws Exception {
        for (int attempt = 0; attempt < 600; attempt++) {
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("user=" + user + "&password=" + password + "&next=/"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 303) {
                    return r.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
                }
            } catch (java.io.IOException e) {
                // the web bundle is (re)starting
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("could not log in as " + user);
    }

    /**
     * 100,000 monitor-only certificates signed by one CA, notAfter spread over −30…+770 days, as PEM
     * chunks; chunks are signed in parallel.
     */
    private static List<Path> certificates(Path work, KeyPair caKey, KeyPair leafKey, BouncyCastleProvider bc)
            throws Exception {
        X500Name issuer = new X500Name("CN=bench CA,O=certwatch bench");
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        List<Path> files = java.util.stream.IntStream.range(0, CERTIFICATES / CHUNK).parallel().mapToObj(chunk -> {
            try {
                ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(bc).build(caKey.getPrivate());
                Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
                StringBuilder pem = new StringBuilder();
                for (int i = chunk * CHUNK; i < (chunk + 1) * CHUNK; i++) {
                    Instant notAfter = now.plus(Duration.ofDays(i % 800 - 30)).plusSeconds(i);
                    X509CertificateHolder c = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(i + 1L),
                            Date.from(now.minus(Duration.ofDays(400))), Date.from(notAfter),
                            new X500Name("CN=bench-" + i + ".example.org"), leafKey.getPublic()).build(signer);
                    pem.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                            .append("\n-----END CERTIFICATE-----\n");
                }
                return Files.writeString(work.resolve("chunk-" + chunk + ".pem"), pem);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        System.out.printf("generated %d certificates in %.1f s%n", CERTIFICATES, (System.nanoTime() - t0) / 1e9);
        return files;
    }

    /** The anchor: Jetty with the same connector set-up, one handler answering a static page. */
    private static Server bareJetty(KeyPair key, BouncyCastleProvider bc) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(bc).build(key.getPrivate());
        X500Name name = new X500Name("CN=localhost");
        // like certwatch's server certificate: names 127.0.0.1 and localhost, which the client verifies
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(Instant.now().minusSeconds(3600)), Date.from(Instant.now().plusSeconds(86400)),
                name, key.getPublic()).addExtension(org.bouncycastle.asn1.x509.Extension.subjectAlternativeName, false,
                        new org.bouncycastle.asn1.x509.GeneralNames(new org.bouncycastle.asn1.x509.GeneralName[] {
                                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.iPAddress, "127.0.0.1"),
                                new org.bouncycastle.asn1.x509.GeneralName(org.bouncycastle.asn1.x509.GeneralName.dNSName, "localhost")}))
                .build(signer));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("bare", key.getPrivate(), "bench".toCharArray(), new X509Certificate[] {cert});
        QueuedThreadPool pool = new QueuedThreadPool(32, 4);
        Server server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        http.addCustomizer(secure);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(ks);
        ssl.setKeyStorePassword("bench");
        ServerConnector connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        byte[] page = ("<!DOCTYPE html><html><head><title>static</title></head><body>" + "<p>static page</p>".repeat(100)
                + "</body></html>").getBytes(StandardCharsets.UTF_8);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
                response.write(true, ByteBuffer.wrap(page), callback);
                return true;
            }
        });
        server.start();
        return server;
    }

    static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                // benchmark only: both servers are on loopback and started by this process
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }
}
