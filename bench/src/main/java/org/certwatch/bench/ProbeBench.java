package org.certwatch.bench;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.certwatch.source.tls.internal.TlsProbeConfiguration;
import org.certwatch.source.tls.internal.TlsSource;
import org.certwatch.source.tls.internal.TrustAll;

/**
 * {@code ./certwatch bench probe}: the TLS probe source (run in this JVM, reporting to a counting registry: the
 * registry is not what is measured) against one local nginx with 1,000 SNI server blocks, each its own RSA-2048
 * certificate. Probes per second over the 1,000 endpoints, side by side with {@code prometheus-blackbox-exporter}
 * (one {@code tcp} module with TLS per SNI name) probing the same endpoints through its {@code /probe} URL at the
 * same concurrency, alternating per sample; heap per watched endpoint; and 10,000 endpoints (the 1,000 names on ten
 * loopback addresses) at a 60 s interval for three minutes: the longest gap between two checks of one endpoint.
 * The probe runs with the server's handshake provider ({@code org.certwatch.crypto}) installed, as in the server.
 * CPU time per probe is measured beside the rate: this JVM's for certwatch, the exporter process's for the anchor
 * (the rate depends on the machine's load, the CPU time much less). A second anchor, this JVM's floor: a bare loop of
 * JDK {@code SSLSocket} handshakes over the same endpoints at the same concurrency, offering the same groups and
 * suites, so the report shows how far certwatch is from what the JVM itself can do, and how far that is from Go.
 */
final class ProbeBench {
    private static final int NAMES = 1_000;
    private static final int ADDRESSES = 10;
    private static final int CONCURRENCY = 16;
    private static final int SAMPLES = Integer.getInteger("certwatch.bench.probe.samples", Figure.MIN_SAMPLES);
    private static final Duration HOLD = Duration.ofSeconds(Long.getLong("certwatch.bench.probe.holdSeconds", 180));
    private static final Duration HOLD_INTERVAL = Duration.ofSeconds(60);

    private ProbeBench() {
    }

    static List<Figure> run() throws Exception {
        Path work = Files.createDirectories(Path.of(System.getProperty("certwatch.workRoot", "target/bench/work"))
                .resolve("probe-" + System.nanoTime()));
        int nginxPort = freePort();
        int blackboxPort = freePort();
        Process nginx = startNginx(work, nginxPort);
        Process blackbox = startBlackbox(work, nginxPort, blackboxPort);
        try {
            awaitListening(nginxPort);
            awaitListening(blackboxPort);
            List<Double> certwatch = new ArrayList<>();
            List<Double> certwatchDefault = new ArrayList<>();
            List<Double> anchor = new ArrayList<>();
            List<Double> certwatchCpu = new ArrayList<>();
            List<Double> unusedCpu = new ArrayList<>();
            List<Double> anchorCpu = new ArrayList<>();
            List<Double> bare = new ArrayList<>();
            List<Double> bareCpu = new ArrayList<>();
            List<Double> heap = new ArrayList<>();
            List<Double> gaps = new ArrayList<>();
            List<Double> checks = new ArrayList<>();
            // the server's provider, as its org.certwatch.crypto bundle installs it
            try (LoadGeneratorCrypto crypto = LoadGeneratorCrypto.install()) {
                for (int i = 0; i < SAMPLES; i++) {
                    anchor.add(blackboxRate(blackboxPort, nginxPort, blackbox.pid(), anchorCpu));
                    bare.add(bareJdkRate(nginxPort, bareCpu));
                    certwatch.add(certwatchRate(work.resolve("rate-" + i), nginxPort, false, certwatchCpu));
                    certwatchDefault.add(certwatchRate(work.resolve("rate-default-" + i), nginxPort, true, unusedCpu));
                    System.out.printf("probe: sample %d: certwatch %.0f probes/s, %.2f ms CPU each (%.0f probes/s with"
                            + " the TLS 1.1 check), bare JDK %.0f handshakes/s, %.2f ms CPU each, blackbox exporter %.0f"
                            + " probes/s, %.2f ms CPU each, load %.1f%n", i + 1, last(certwatch), last(certwatchCpu),
                            last(certwatchDefault), last(bare), last(bareCpu), last(anchor), last(anchorCpu),
                            Report.loadAverage());
                }
                hold(work.resolve("hold"), nginxPort, heap, gaps, checks);
            }
            return List.of(
                    new Figure("probe: probes/s over 1,000 SNI endpoints on one nginx, " + CONCURRENCY
                            + " at once (one handshake each, as the anchor)", "probes/s", certwatch,
                            "blackbox exporter", anchor, "≥ 1.0× anchor", true),
                    new Figure("probe: probes/s with the default TLS 1.0/1.1 check (a second connection each)",
                            "probes/s", certwatchDefault, "blackbox exporter", anchor, "—", true),
                    new Figure("probe: certwatch's probes/s against this JVM's floor (bare JDK SSLSocket handshakes,"
                            + " same endpoints, concurrency, groups and suites)", "probes/s", certwatch, "bare JDK", bare,
                            "—", true),
                    new Figure("probe: the JVM's floor: bare JDK SSLSocket handshakes/s against the anchor",
                            "handshakes/s", bare, "blackbox exporter", anchor, "—", true),
                    new Figure("probe: CPU time per probe (certwatch: the benchmark JVM; the exporter: its process)",
                            "ms", certwatchCpu, "blackbox exporter", anchorCpu, "—", false),
                    new Figure("probe: CPU time per probe, certwatch against the bare JDK handshake (both this JVM)",
                            "ms", certwatchCpu, "bare JDK", bareCpu, "—", false),
                    new Figure("probe: CPU time per bare JDK handshake (this JVM) against the exporter's per probe",
                            "ms", bareCpu, "blackbox exporter", anchorCpu, "—", false),
                    new Figure("probe: heap per watched endpoint (10,000 endpoints)", "bytes", heap, "", List.of(),
                            "≤ 2048 bytes", false),
                    new Figure("probe: longest gap between two checks of one of 10,000 endpoints at a 60 s interval"
                            + " (jitter 0.1)", "s", gaps, "", List.of(), "≤ 72 s", false),
                    new Figure("probe: checks of those 10,000 endpoints per second over " + HOLD.toSeconds() + " s",
                            "checks/s", checks, "", List.of(), "≥ 150/s", true));
        } finally {
            blackbox.destroy();
            nginx.destroy();
            blackbox.waitFor(10, TimeUnit.SECONDS);
            nginx.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    /** All 1,000 endpoints checked at once, {@code CONCURRENCY} at a time: checks per second; adds this JVM's CPU
     *  milliseconds per check to {@code cpu}. */
    private static double certwatchRate(Path folder, int port, boolean oldProtocols, List<Double> cpu)
            throws Exception {
        long self = ProcessHandle.current().pid();
        writeEndpoints(folder, port, 1, Duration.ofHours(1));
        Counting registry = new Counting();
        TlsSource source = new TlsSource(folder, config(Duration.ofHours(1), oldProtocols, 0), registry);
        registry.expect(NAMES);
        double cpu0 = ProcessCpu.millis(self);
        long t0 = System.nanoTime();
        source.start();
        try {
            if (!registry.await(Duration.ofMinutes(5))) {
                throw new AssertionError("certwatch checked " + registry.reports.get() + " of " + NAMES);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            cpu.add((ProcessCpu.millis(self) - cpu0) / NAMES);
            if (registry.failures.get() > 0) {
                throw new AssertionError(registry.failures.get() + " checks failed, e.g. " + registry.lastFailure.get());
            }
            return NAMES / seconds;
        } finally {
            source.deactivate();
        }
    }

    /**
     * The floor of this JVM: the 1,000 endpoints' handshakes in a bare loop of JDK {@link SSLSocket}s,
     * {@code CONCURRENCY} threads, nothing else (no scheduler, watchdog, findings or report). It offers what the probe
     * offers (the same JVM's named groups and provider, the default suites, SNI, any chain accepted by the probe's
     * own trust manager, TCP_NODELAY) and resumes no session: a context and a DRBG per thread, each session
     * invalidated after its handshake, and nginx keeps no session cache and issues no tickets. Adds this JVM's CPU
     * milliseconds per handshake to {@code cpu}.
     */
    private static double bareJdkRate(int port, List<Double> cpu) throws Exception {
        long self = ProcessHandle.current().pid();
        // as the probe: a context and a DRBG per thread (one context's default NativePRNG is one lock for all 16)
        ThreadLocal<SSLContext> contexts = ThreadLocal.withInitial(() -> {
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {new TrustAll()}, SecureRandom.getInstance("DRBG"));
                return context;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        double cpu0 = ProcessCpu.millis(self);
        long t0 = System.nanoTime();
        eachEndpoint(i -> bareHandshake(contexts.get(), port, name(i)));
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.add((ProcessCpu.millis(self) - cpu0) / NAMES);
        return NAMES / seconds;
    }

    /** What one of the {@code CONCURRENCY} threads does with endpoint {@code i}. */
    private interface EndpointTask {
        void run(int i) throws Exception;
    }

    /** The {@code NAMES} endpoints shared by {@code CONCURRENCY} threads, each taking the next until none is left. */
    private static void eachEndpoint(EndpointTask task) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            AtomicInteger next = new AtomicInteger();
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < CONCURRENCY; t++) {
                done.add(threads.submit(() -> {
                    for (int i = next.getAndIncrement(); i < NAMES; i = next.getAndIncrement()) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (var f : done) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            threads.shutdown();
        }
    }

    private static void bareHandshake(SSLContext context, int port, String name) throws IOException {
        try (Socket plain = new Socket()) {
            plain.setTcpNoDelay(true);
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(plain, name, port, true);
            SSLParameters p = ssl.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(name)));
            ssl.setSSLParameters(p);
            ssl.startHandshake();
            SSLSession session = ssl.getSession();
            if (session.getPeerCertificates().length == 0) {
                throw new AssertionError(name + ": no chain");
            }
            session.invalidate();
            ssl.close();
        }
    }

    /** The blackbox exporter's {@code /probe} of every endpoint, {@code CONCURRENCY} requests at a time; adds the
     *  exporter's CPU milliseconds per probe to {@code cpu}. */
    private static double blackboxRate(int blackboxPort, int nginxPort, long blackboxPid, List<Double> cpu)
            throws Exception {
        ExecutorService clientThreads = Executors.newFixedThreadPool(CONCURRENCY);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
        AtomicInteger failed = new AtomicInteger();
        double cpu0 = ProcessCpu.millis(blackboxPid);
        long t0 = System.nanoTime();
        eachEndpoint(i -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + blackboxPort
                    + "/probe?module=sni" + i + "&target=127.0.0.1:" + nginxPort)).build();
            String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            if (!body.contains("\nprobe_success 1")) {
                failed.incrementAndGet();
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.add((ProcessCpu.millis(blackboxPid) - cpu0) / NAMES);
        clientThreads.shutdown();
        if (failed.get() > 0) {
            throw new AssertionError("the blackbox exporter failed " + failed.get() + " probes");
        }
        return NAMES / seconds;
    }

    /** 10,000 endpoints at 60 s: heap per endpoint, the longest gap between two checks of one, checks/s. */
    private static void hold(Path folder, int port, List<Double> heap, List<Double> gaps, List<Double> rates)
            throws Exception {
        int endpoints = NAMES * ADDRESSES;
        writeEndpoints(folder, port, ADDRESSES, HOLD_INTERVAL);
        heap.add(heapPerEndpoint(folder.resolve("heap"), port, endpoints));
        Counting registry = new Counting();
        TlsSource source = new TlsSource(folder, config(Duration.ofHours(1), false, 0.1), registry);
        source.start();
        try {
            Thread.sleep(HOLD.toMillis());
            long seconds = HOLD.toSeconds();
            rates.add(registry.reports.get() / (double) seconds);
            double longest = 0;
            int checkedTwice = 0;
            for (List<Instant> times : registry.times.values()) {
                for (int i = 1; i < times.size(); i++) {
                    longest = Math.max(longest, Duration.between(times.get(i - 1), times.get(i)).toMillis() / 1000.0);
                }
                checkedTwice += times.size() > 1 ? 1 : 0;
            }
            gaps.add(longest);
            System.out.printf("probe: 10,000 endpoints: %.0f bytes heap each, %.0f checks/s, longest gap %.1f s,"
                    + " %d endpoints checked at least twice, %d failed checks%n", last(heap), last(rates), longest,
                    checkedTwice, registry.failures.get());
            if (registry.failures.get() > 0) {
                throw new AssertionError(registry.failures.get() + " checks failed, e.g. " + registry.lastFailure.get());
            }
        } finally {
            source.deactivate();
        }
    }

    /**
     * The heap 10,000 kept and scheduled endpoints hold: a source whose endpoints are all due in an hour (a 1 h
     * interval, jitter 0.5: spread over 30 min, so a handful are checked meanwhile), weighed after full GCs while
     * it runs and again once it is stopped and unreachable. Weighing what its stop releases, rather than what its
     * start adds, leaves out what the earlier samples' TLS clients left behind for a later collection (softly
     * reachable session caches made the start's difference negative).
     */
    private static double heapPerEndpoint(Path folder, int port, int endpoints) throws Exception {
        writeEndpoints(folder, port, ADDRESSES, Duration.ofHours(1));
        Counting registry = new Counting();
        TlsSource source = new TlsSource(folder, config(Duration.ofHours(1), false, 0.5), registry);
        source.start();
        long running;
        try {
            running = Heap.usedAfterGc();
        } finally {
            source.deactivate();
        }
        source = null;
        return (running - Heap.usedAfterGc()) / (double) endpoints;
    }


    /** {@code tls/endpoints.json} as the source keeps it: every name on {@code addresses} loopback addresses. */
    private static void writeEndpoints(Path folder, int port, int addresses, Duration interval) throws IOException {
        Files.createDirectories(folder);
        StringBuilder json = new StringBuilder("{\"lastId\":").append(NAMES * addresses).append(",\"endpoints\":[");
        int id = 0;
        for (int a = 1; a <= addresses; a++) {
            for (int i = 0; i < NAMES; i++) {
                json.append(id == 0 ? "" : ",").append("{\"id\":\"").append(++id).append("\",\"host\":\"127.0.0.")
                        .append(a).append("\",\"port\":").append(port).append(",\"sniName\":\"").append(name(i))
                        .append("\",\"protocol\":\"TLS\",\"homeGroup\":\"All\",\"interval\":\"").append(interval)
                        .append("\",\"extraCaPem\":\"\",\"checkCrl\":false,\"description\":\"\",\"createdAt\":\"")
                        .append(Instant.EPOCH).append("\"}");
            }
        }
        Files.writeString(folder.resolve("endpoints.json"), json.append("]}"));
    }

    private static String name(int i) {
        return "site" + i + ".bench.test";
    }

    private static Process startNginx(Path work, int port) throws Exception {
        Path folder = Files.createDirectories(work.resolve("nginx"));
        Files.createDirectories(folder.resolve("tmp"));
        // RSA: the benchmark JVM runs with -Djdk.tls.namedGroups=x25519 (for the simulated agents), which takes
        // the JDK's ECDSA signature schemes away; one leaf key shared, each name its own certificate
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair caKey = g.generateKeyPair();
        KeyPair key = g.generateKeyPair();
        Instant now = Instant.now();
        StringBuilder conf = new StringBuilder("worker_processes 2;\npid " + folder.resolve("nginx.pid") + ";\nerror_log "
                + folder.resolve("error.log") + " warn;\nevents { worker_connections 4096; }\nhttp {\n  access_log off;\n"
                + "  client_body_temp_path " + folder.resolve("tmp") + ";\n  ssl_session_cache off;\n"
                + "  ssl_session_tickets off;\n  server_names_hash_max_size 4096;\n");
        for (int i = 0; i < NAMES; i++) {
            var b = new JcaX509v3CertificateBuilder(new X500Name("CN=Bench CA"), BigInteger.valueOf(i + 1L),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(90))),
                    new X500Name("CN=" + name(i)), key.getPublic());
            b.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(new GeneralName(GeneralName.dNSName, name(i))));
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(caKey.getPrivate())).getEncoded();
            Path crt = folder.resolve(i + ".crt");
            Path keyFile = folder.resolve(i + ".key");
            Files.writeString(crt, pem("CERTIFICATE", der));
            Files.writeString(keyFile, pem("PRIVATE KEY", key.getPrivate().getEncoded()));
            conf.append("  server {\n");
            for (int a = 1; a <= ADDRESSES; a++) {
                conf.append("    listen 127.0.0.").append(a).append(':').append(port).append(" ssl")
                        .append(i == 0 ? " default_server" : "").append(";\n");
            }
            conf.append("    server_name ").append(name(i)).append(";\n    ssl_certificate ").append(crt)
                    .append(";\n    ssl_certificate_key ").append(keyFile).append(";\n    return 200;\n  }\n");
        }
        conf.append("}\n");
        Path confFile = folder.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        return new ProcessBuilder("nginx", "-p", folder.toString(), "-c", confFile.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(folder.resolve("nginx.out").toFile()).start();
    }

    private static Process startBlackbox(Path work, int nginxPort, int port) throws IOException {
        Path folder = Files.createDirectories(work.resolve("blackbox"));
        StringBuilder yml = new StringBuilder("modules:\n");
        for (int i = 0; i < NAMES; i++) {
            yml.append("  sni").append(i).append(":\n    prober: tcp\n    timeout: 10s\n    tcp:\n      tls: true\n")
                    .append("      tls_config:\n        insecure_skip_verify: true\n        server_name: ")
                    .append(name(i)).append('\n');
        }
        Path config = folder.resolve("blackbox.yml");
        Files.writeString(config, yml);
        return new ProcessBuilder("prometheus-blackbox-exporter", "--config.file=" + config,
                "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(folder.resolve("blackbox.out").toFile()).start();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < until) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("nothing listens on 127.0.0.1:" + port);
    }

    private static TlsProbeConfiguration config(Duration interval, boolean oldProtocols, double jitter) {
        return new TlsProbeConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return TlsProbeConfiguration.class;
            }

            @Override
            public String default_interval() {
                return interval.toString();
            }

            @Override
            public String minimum_interval() {
                return "PT10S";
            }

            @Override
            public String jitter() {
                return Double.toString(jitter);
            }

            @Override
            public int concurrency() {
                return CONCURRENCY;
            }

            @Override
            public int per_host_limit() {
                return CONCURRENCY;
            }

            @Override
            public int connect_timeout_ms() {
                return 5_000;
            }

            @Override
            public int handshake_timeout_ms() {
                return 10_000;
            }

            @Override
            public int read_timeout_ms() {
                return 5_000;
            }

            @Override
            public int max_certificates() {
                return 10;
            }

            @Override
            public int max_handshake_bytes() {
                return 256 * 1024;
            }

            @Override
            public boolean check_old_protocols() {
                return oldProtocols;
            }

            @Override
            public int chain_warning_days() {
                return 30;
            }

            @Override
            public int crl_timeout_ms() {
                return 5_000;
            }

            @Override
            public int max_crl_bytes() {
                return 16 * 1024 * 1024;
            }
        };
    }

    /** Counts reports and keeps when each location was checked; nothing else. */
    private static final class Counting implements LocationRegistry {
        final AtomicInteger reports = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicReference<String> lastFailure = new AtomicReference<>();
        final Map<String, List<Instant>> times = new ConcurrentHashMap<>();
        private volatile CountDownLatch expected = new CountDownLatch(0);

        void expect(int n) {
            expected = new CountDownLatch(n);
        }

        boolean await(Duration d) throws InterruptedException {
            return expected.await(d.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public Location report(Observation o) {
            reports.incrementAndGet();
            if (!o.succeeded()) {
                failures.incrementAndGet();
                lastFailure.set(o.reason());
            }
            times.compute(o.location().address(), (a, l) -> {
                List<Instant> next = l == null ? new ArrayList<>() : l;
                next.add(Instant.now());
                return next;
            });
            expected.countDown();
            return null;
        }

        @Override
        public void gone(LocationRef location) {
            // nothing is removed in the benchmark
        }

        @Override
        public void present(String source, Collection<String> addresses) {
            // every endpoint is present
        }

        @Override
        public Optional<Location> location(long id) {
            return Optional.empty();
        }

        @Override
        public Optional<Location> location(LocationRef ref) {
            return Optional.empty();
        }

        @Override
        public List<Location> locations(LocationQuery query) {
            return List.of();
        }

        @Override
        public List<LocationHistoryEntry> history(long locationId) {
            return List.of();
        }

        @Override
        public Location stopWatching(long locationId, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Location resumeWatching(long locationId, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> sources() {
            return List.of("tls");
        }
    }
}
