package org.certwatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch bench shared}: two servers of the real distribution on one PostgreSQL (the tests' fixture,
 * started here) beside a third server on its own files, all three at once, so that every PostgreSQL figure has the
 * file backend's measured in the same run as its anchor (ratios PostgreSQL/file). Durable issuance and the dashboard
 * and the certificates API here; a certificate issued through one server's API listed by the other's (p50/p99,
 * {@link SharedVisibility}); the server's CPU per replication, and what PostgreSQL and the second server spend
 * beside it ({@link SharedReplication}); the outbox's failover (the leader SIGKILLed while notices stream in: kill to
 * the first notice mailed by the new leader, {@link SharedFailover}).
 */
final class SharedBench {
    static final int ROUNDS = Figure.MIN_SAMPLES;
    private static final int ISSUE = Integer.getInteger("certwatch.bench.shared.issue", 2_000);
    private static final Duration MEASURE = Duration.ofSeconds(5);
    static final Duration WAIT = Duration.ofSeconds(180);
    private static final String PASSWORD = "admin-bench-password";
    static final String BASIC = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    static final String FILE = "the file backend, same workload, same run";

    private SharedBench() {
    }

    static List<Figure> run() throws Exception {
        String opts = WebBench.serverJavaOpts();
        List<Figure> figures = new ArrayList<>();
        try (PostgresServer database = PostgresServer.start();
                CertwatchServer a = configure(database.prepareServer("bench-shared-a"), opts);
                CertwatchServer b = configure(database.prepareServer("bench-shared-b"), opts);
                CertwatchServer file = configure(CertwatchServer.prepare("bench-shared-file")
                        .env("CERTWATCH_KEY_PASSWORD", PostgresServer.SHARED_KEY_PASSWORD), opts)) {
            System.out.printf("shared bench: PostgreSQL on port %d; servers A and B on it, a third on its files; %s%n",
                    database.port(), opts);
            for (CertwatchServer s : List.of(a, b, file)) {
                s.start();
            }
            for (CertwatchServer s : List.of(a, b, file)) {
                s.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
                s.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
                CertwatchServer.placeAtomically(TestBundles.gogoBridge(), s.deploy().resolve("gogo-bridge.jar"));
                CertwatchServer.placeAtomically(TestBundles.storeDriver(), s.deploy().resolve("storedriver.jar"));
                CertwatchServer.placeAtomically(TestBundles.monitorControl(), s.deploy().resolve("org.certwatch.monitorctl.jar"));
            }
            for (CertwatchServer s : List.of(a, b, file)) {
                CertwatchServer.await("store driver", WAIT,
                        () -> s.probe("org.certwatch.storedriver", "cas").map(x -> x.contains("CA")).orElse(false));
                s.awaitGogo("certwatch:ca-list", WAIT);
            }
            HttpClient client = WebBench.client();
            issuance(a, file, figures);
            web(client, a, file, figures);
            SharedVisibility.measure(client, a, b, figures);
            SharedReplication.measure(a, b, file, figures);
            figures.addAll(SharedFailover.measure(a, b));
        }
        return figures;
    }

    private static CertwatchServer configure(CertwatchServer server, String opts) {
        return server.quiet().env("CERTWATCH_JAVA_OPTS", opts).env("CERTWATCH_ADMIN_PASSWORD", PASSWORD);
    }

    static String base(CertwatchServer server) {
        return "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT");
    }

    /** ISSUE agent certificates in one bulk call (the store driver's {@code issueAll}), alternating file and PostgreSQL. */
    private static void issuance(CertwatchServer shared, CertwatchServer file, List<Figure> figures) throws Exception {
        issue(file, 200); // JIT and the first pool connections, not counted
        issue(shared, 200);
        List<Double> onFile = new ArrayList<>();
        List<Double> onShared = new ArrayList<>();
        for (int r = 1; r <= ROUNDS; r++) {
            onFile.add(issue(file, ISSUE));
            onShared.add(issue(shared, ISSUE));
            System.out.printf(Locale.ROOT, "issuance round %d: %d certificates, file %.0f/s, PostgreSQL %.0f/s%n", r, ISSUE,
                    onFile.get(r - 1), onShared.get(r - 1));
        }
        figures.add(new Figure("shared: durable issuance on PostgreSQL, " + ISSUE + " AGENT certificates (P-256) in one call",
                "/s", onShared, FILE, onFile, "—", true));
    }

    private static double issue(CertwatchServer server, int n) throws Exception {
        long t0 = System.nanoTime();
        String answer = server.probe("org.certwatch.storedriver", "issue " + n + " 365 All", Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!answer.startsWith("ok")) {
            throw new IllegalStateException("issue on " + server.data() + ": " + answer);
        }
        return n / seconds;
    }

    /** The web benchmark's two pages on both backends, each holding the issuance's certificates. */
    private static void web(HttpClient client, CertwatchServer shared, CertwatchServer file, List<Figure> figures)
            throws Exception {
        URI apiShared = URI.create(base(shared) + "/api/v1/certificates?limit=100");
        URI apiFile = URI.create(base(file) + "/api/v1/certificates?limit=100");
        URI dashShared = URI.create(base(shared) + "/");
        URI dashFile = URI.create(base(file) + "/");
        String cookieShared = "Cookie: " + WebBench.login(client, base(shared), "admin", PASSWORD);
        String cookieFile = "Cookie: " + WebBench.login(client, base(file), "admin", PASSWORD);
        for (URI warm : List.of(apiShared, apiFile)) {
            WebBench.load(client, warm, BASIC, Duration.ofSeconds(4));
        }
        WebBench.load(client, dashShared, cookieShared, Duration.ofSeconds(4));
        WebBench.load(client, dashFile, cookieFile, Duration.ofSeconds(4));
        List<WebBench.Result> apiF = new ArrayList<>();
        List<WebBench.Result> apiS = new ArrayList<>();
        List<WebBench.Result> dashF = new ArrayList<>();
        List<WebBench.Result> dashS = new ArrayList<>();
        for (int r = 1; r <= ROUNDS; r++) {
            apiF.add(WebBench.load(client, apiFile, BASIC, MEASURE));
            apiS.add(WebBench.load(client, apiShared, BASIC, MEASURE));
            dashF.add(WebBench.load(client, dashFile, cookieFile, MEASURE));
            dashS.add(WebBench.load(client, dashShared, cookieShared, MEASURE));
            System.out.printf("web round %d: api file %s | PostgreSQL %s; dashboard file %s | PostgreSQL %s%n", r,
                    apiF.get(r - 1), apiS.get(r - 1), dashF.get(r - 1), dashS.get(r - 1));
        }
        String held = ROUNDS * ISSUE + 200 + " certificates";
        webFigures(figures, "shared: /api/v1/certificates?limit=100 on PostgreSQL (HTTP Basic, " + held + ", 4 clients)", apiS, apiF);
        webFigures(figures, "shared: dashboard on PostgreSQL (" + held + ", 4 clients)", dashS, dashF);
    }

    private static void webFigures(List<Figure> figures, String name, List<WebBench.Result> shared, List<WebBench.Result> file) {
        figures.add(new Figure(name, "req/s", shared.stream().map(WebBench.Result::perSecond).toList(), FILE,
                file.stream().map(WebBench.Result::perSecond).toList(), "—", true));
        figures.add(new Figure(name + " p99", "ms", shared.stream().map(WebBench.Result::p99).toList(), FILE,
                file.stream().map(WebBench.Result::p99).toList(), "≤ 50 ms", false));
    }
















}
