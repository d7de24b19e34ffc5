package org.certwatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.testing.CertwatchServer;

/**
 * {@code ./certwatch bench metrics}: {@code /metrics} of a real server holding the web benchmark's 100,000
 * certificates, scraped as Prometheus scrapes it (gzip, HTTP Basic; the whole body read) back to back while 4
 * closed-loop clients load {@code /api/v1/certificates?limit=100}. Prometheus gives up on a scrape after 10 s by
 * default: every scrape, not the median, has to finish inside that.
 */
final class MetricsBench {
    private static final int ROUNDS = Figure.MIN_SAMPLES;
    private static final int SCRAPES_PER_ROUND = Integer.getInteger("certwatch.bench.metrics.scrapes", 6);

    private MetricsBench() {
    }

    static List<Figure> run() throws Exception {
        BouncyCastleProvider bc = new BouncyCastleProvider();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", bc);
        generator.initialize(256);
        List<java.nio.file.Path> chunks = WebBench.certificateChunks(generator.generateKeyPair(),
                generator.generateKeyPair(), bc);
        String serverOpts = WebBench.serverJavaOpts();
        try (CertwatchServer server = CertwatchServer.prepare("bench-metrics").quiet()
                .env("CERTWATCH_JAVA_OPTS", serverOpts).env("CERTWATCH_KEY_PASSWORD", "bench-key-password")
                .env("CERTWATCH_ADMIN_PASSWORD", "admin-bench-password")) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("web: listening on https://"), Duration.ofSeconds(120));
            WebBench.importChunks(server, chunks);
            HttpClient client = WebBench.client();
            String base = "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT");
            String basic = "Basic " + Base64.getEncoder().encodeToString(
                    "admin:admin-bench-password".getBytes(StandardCharsets.UTF_8));
            HttpRequest scrape = HttpRequest.newBuilder(URI.create(base + "/metrics")).timeout(Duration.ofSeconds(60))
                    .header("Authorization", basic).header("Accept-Encoding", "gzip").GET().build();
            URI api = URI.create(base + "/api/v1/certificates?limit=100");
            // the import's changes have their labels made in the background within seconds (MetricsWarmup)
            Scrape afterImport = time(client, scrape);
            System.out.printf("server JVM options: %s; first scrape after the import %s%n", serverOpts, afterImport);
            time(client, scrape);

            // the scrape's own cost, whatever else the shared machine runs: the server's CPU time per scrape, alone
            long pid = server.process().pid();
            List<Double> cpu = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                double cpu0 = ProcessCpu.millis(pid);
                for (int i = 0; i < SCRAPES_PER_ROUND; i++) {
                    time(client, scrape);
                }
                cpu.add((ProcessCpu.millis(pid) - cpu0) / SCRAPES_PER_ROUND);
            }
            System.out.printf("server CPU per scrape, no other requests: %s ms%n", cpu);
            ExecutorService loader = Executors.newSingleThreadExecutor();
            try {
                List<Figure> figures = new ArrayList<>(measure(client, scrape, api, basic, loader));
                figures.add(new Figure("metrics: server CPU time per scrape of 100k certificates (gzip), alone", "ms", cpu,
                        "", List.of(), "—", false));
                figures.add(new Figure("metrics: first scrape after the import of 100k certificates", "ms",
                        List.of(afterImport.millis()), "", List.of(), "≤ 10000 ms", false));
                figures.addAll(firstAfterRestarts(server, client, scrape, base, basic));
                return figures;
            } finally {
                loader.shutdownNow();
            }
        }
    }

    private static List<Figure> measure(HttpClient client, HttpRequest scrape, URI api, String basic,
            ExecutorService loader) throws Exception {
        List<Double> maxima = new ArrayList<>();
        List<Double> medians = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        long bytes = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            // the API load runs until the round's scrapes are done (its closed loop ends by time: generous)
            Future<WebBench.Result> load = loader.submit(() -> WebBench.load(client, api, "Authorization: " + basic,
                    Duration.ofSeconds(SCRAPES_PER_ROUND * 3L)));
            List<Double> times = new ArrayList<>();
            for (int i = 0; i < SCRAPES_PER_ROUND; i++) {
                Scrape s = time(client, scrape);
                times.add(s.millis());
                bytes = s.bytes();
            }
            WebBench.Result api100 = load.get();
            times.sort(null);
            all.addAll(times);
            maxima.add(times.get(times.size() - 1));
            medians.add(times.get(times.size() / 2));
            System.out.printf("round %d: scrapes %s ms; API beside them %s%n", round, times, api100);
        }
        all.sort(null);
        System.out.printf("metrics: %d scrapes, median %.0f ms, p99 %.0f ms, max %.0f ms, %.1f MB gzip%n", all.size(),
                all.get(all.size() / 2), all.get((int) Math.ceil(all.size() * 0.99) - 1), all.get(all.size() - 1),
                bytes / 1e6);
        String name = "metrics: /metrics of 100k certificates (gzip) beside 4 API clients";
        return List.of(
                new Figure(name + ", slowest scrape of a round", "ms", maxima, "", List.of(), "≤ 10000 ms", false),
                new Figure(name + ", median scrape of a round", "ms", medians, "", List.of(), "—", false));
    }

    /**
     * The scrape Prometheus makes first after a restart: the server restarted on its 100,000 certificates, once its
     * web bundle has logged that /metrics is warmed up (a Prometheus scrapes every 15–60 s); the anchor beside it,
     * a restart with {@code metrics.warmup=false}, scraped as long after "listening" as the warm-up took. Both with
     * an API token, as docs/api.md configures Prometheus (HTTP Basic's first request after a start also verifies
     * the password's PBKDF2 hash); wall time, and the server's CPU time for the scrape (steadier under load).
     */
    private static List<Figure> firstAfterRestarts(CertwatchServer server, HttpClient client, HttpRequest scrape,
            String base, String basic) throws Exception {
        HttpResponse<String> created = client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                .header("Authorization", basic).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"prometheus\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        java.util.regex.Matcher token = java.util.regex.Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(created.body());
        if (created.statusCode() != 201 || !token.find()) {
            throw new IllegalStateException("POST /api/v1/tokens answered " + created.statusCode() + " " + created.body());
        }
        HttpRequest bearer = HttpRequest.newBuilder(scrape.uri()).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token.group(1)).header("Accept-Encoding", "gzip").GET().build();
        List<Double> warm = new ArrayList<>();
        List<Double> warmCpu = new ArrayList<>();
        List<Double> cold = new ArrayList<>();
        List<Double> coldCpu = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            long[] waited = new long[1];
            restart(server, true, waited);
            long cpu0 = (long) ProcessCpu.millis(server.process().pid());
            Scrape first = time(client, bearer);
            warm.add(first.millis());
            warmCpu.add(ProcessCpu.millis(server.process().pid()) - cpu0);
            restart(server, false, waited);
            cpu0 = (long) ProcessCpu.millis(server.process().pid());
            Scrape anchor = time(client, bearer);
            cold.add(anchor.millis());
            coldCpu.add(ProcessCpu.millis(server.process().pid()) - cpu0);
            System.out.printf("after a restart, first scrape (API token): warmed up %s (server CPU %.0f ms); without the"
                    + " warm-up, as long after listening, %s (server CPU %.0f ms)%n", first, warmCpu.get(i), anchor,
                    coldCpu.get(i));
        }
        String anchorName = "the same, metrics.warmup=false (cold)";
        return List.of(new Figure("metrics: first scrape after a restart with 100k certificates, API token (warmed up)",
                "ms", warm, anchorName, cold, "≤ 10000 ms", false),
                new Figure("metrics: server CPU time of that first scrape", "ms", warmCpu, anchorName, coldCpu, "—",
                        false));
    }

    /**
     * Restarts the server with the warm-up on or off. On: returns once it logged that /metrics is warmed up and puts
     * how long that took after "listening" into {@code waited}; off: waits as long after "listening".
     */
    private static void restart(CertwatchServer server, boolean warmup, long[] waited) throws Exception {
        server.stop(Duration.ofSeconds(120));
        java.nio.file.Files.writeString(server.etc().resolve("org.certwatch.web.cfg"), "metrics.warmup=" + warmup + "\n");
        int before = server.output().size();
        server.start();
        awaitNewLine(server, before, "web: listening on https://", Duration.ofMinutes(5));
        long listening = System.nanoTime();
        if (warmup) {
            String warmed = awaitNewLine(server, before, "/metrics warmed up", Duration.ofMinutes(5));
            waited[0] = System.nanoTime() - listening;
            System.out.printf("warm-up: %.0f ms after listening (%s)%n", waited[0] / 1e6,
                    warmed.substring(warmed.indexOf("web:")));
        } else {
            Thread.sleep(waited[0] / 1_000_000);
        }
    }

    private static String awaitNewLine(CertwatchServer server, int from, String text, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = server.output();
            for (int i = from; i < lines.size(); i++) {
                if (lines.get(i).contains(text)) {
                    return lines.get(i);
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no '" + text + "' within " + timeout + " of the restart");
    }

    record Scrape(double millis, long bytes) {
        @Override
        public String toString() {
            return String.format("%.0f ms, %d bytes", millis, bytes);
        }
    }

    private static Scrape time(HttpClient client, HttpRequest scrape) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<byte[]> r = client.send(scrape, HttpResponse.BodyHandlers.ofByteArray());
        double millis = (System.nanoTime() - t0) / 1e6;
        if (r.statusCode() != 200 || !"gzip".equals(r.headers().firstValue("content-encoding").orElse(""))) {
            throw new IllegalStateException("/metrics answered " + r.statusCode() + " " + r.headers().map());
        }
        return new Scrape(millis, r.body().length);
    }
}
