package org.certwatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch bench shared}: two servers of the real distribution on one PostgreSQL (the tests' fixture,
 * started here) beside a third server on its own files, all three at once, so that every PostgreSQL figure has the
 * file backend's measured in the same run as its anchor (ratios PostgreSQL/file). A certificate issued through one
 * server's API listed by the other's (p50/p99); the outbox's failover (the leader SIGKILLed while notices stream
 * in: kill to the first notice mailed by the new leader); durable issuance; the dashboard and the certificates API;
 * the server's CPU per replication, and what PostgreSQL and the second server spend beside it.
 */
final class SharedBench {
    private static final int ROUNDS = Figure.MIN_SAMPLES;
    /** Changes per round of the visibility figure: 5 × 50 = 250 in all. */
    private static final int CHANGES = Integer.getInteger("certwatch.bench.shared.changes", 50);
    private static final int ISSUE = Integer.getInteger("certwatch.bench.shared.issue", 2_000);
    private static final int AGENTS = Integer.getInteger("certwatch.bench.shared.agents", 200);
    private static final int FAILOVERS = Integer.getInteger("certwatch.bench.shared.failovers", Figure.MIN_SAMPLES);
    private static final Duration MEASURE = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(180);
    /** Four times issue 21's 15 s: a failover that takes longer is a failure, not a slow sample. */
    private static final Duration FAILOVER_WAIT = Duration.ofSeconds(60);
    private static final String PASSWORD = "admin-bench-password";
    private static final String BASIC = "Authorization: Basic "
            + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final String FILE = "the file backend, same workload, same run";

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
            visibility(client, a, b, figures);
            replication(a, b, file, figures);
            List<Double> failovers = new ArrayList<>();
            List<Double> resent = new ArrayList<>();
            try {
                failover(a, b, failovers, resent);
            } catch (Exception | AssertionError e) {
                // the figures above stay in the report; this one shows the samples it got and fails its target
                System.out.println("failover stopped: " + e);
                e.printStackTrace(System.out);
            }
            figures.add(new Figure("shared: outbox failover, leader SIGKILLed while notices stream in, to the new"
                    + " leader's first mail (none within " + FAILOVER_WAIT.toSeconds() + " s ends the samples)", "s", failovers,
                    "", List.of(), "≤ 15 s", false));
            figures.add(new Figure("shared: notices mailed twice after the failovers so far (at least once)", "notices",
                    resent, "", List.of(), "—", false));
        }
        return figures;
    }

    private static CertwatchServer configure(CertwatchServer server, String opts) {
        return server.quiet().env("CERTWATCH_JAVA_OPTS", opts).env("CERTWATCH_ADMIN_PASSWORD", PASSWORD);
    }

    private static String base(CertwatchServer server) {
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

    /**
     * A certificate issued through A's API, timed from A's answer until B's API lists it (polled every 5 ms); the
     * anchor is the same poll on A itself, of a certificate just issued through B's API the other way round would
     * wait for the notification too, so the anchor asks the server that answered: the floor of the method.
     */
    private static void visibility(HttpClient client, CertwatchServer a, CertwatchServer b, List<Figure> figures)
            throws Exception {
        long ca = Long.parseLong(a.probe("org.certwatch.storedriver", "cas").orElseThrow().lines().findFirst()
                .orElseThrow().split("\t")[0]);
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        List<Double> ownP50 = new ArrayList<>();
        List<Double> ownP99 = new ArrayList<>();
        List<Double> all = new ArrayList<>();
        int n = 0;
        for (int r = 1; r <= ROUNDS; r++) {
            List<Double> other = new ArrayList<>();
            List<Double> own = new ArrayList<>();
            for (int i = 0; i < CHANGES; i++) {
                long[] issued = issueThroughApi(client, a, ca, "seen-" + (n++) + ".example.org");
                other.add(untilListed(client, b, issued));
                long[] mine = issueThroughApi(client, a, ca, "own-" + (n++) + ".example.org");
                own.add(untilListed(client, a, mine));
            }
            all.addAll(other);
            p50.add(Figure.median(other));
            p99.add(percentile(other, 0.99));
            ownP50.add(Figure.median(own));
            ownP99.add(percentile(own, 0.99));
            System.out.printf(Locale.ROOT, "visibility round %d: %d changes, on the other server p50 %.1f ms p99 %.1f ms;"
                    + " on the issuing server p50 %.1f ms p99 %.1f ms%n", r, CHANGES, last(p50), last(p99), last(ownP50),
                    last(ownP99));
        }
        System.out.printf(Locale.ROOT, "visibility over all %d changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", all.size(),
                percentile(all, 0.5), percentile(all, 0.99), Figure.max(all));
        String anchor = "the same poll on the issuing server (the method's floor)";
        figures.add(new Figure("shared: certificate issued on A listed by B's API, p50 of " + CHANGES + " per round", "ms",
                p50, anchor, ownP50, "≤ 1000 ms", false));
        figures.add(new Figure("shared: certificate issued on A listed by B's API, p99 of " + CHANGES + " per round", "ms",
                p99, anchor, ownP99, "≤ 1000 ms", false));
    }

    /** {id, nanoTime of the answer}. */
    private static long[] issueThroughApi(HttpClient client, CertwatchServer server, long ca, String host) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(base(server) + "/api/v1/certificates"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", BASIC.substring(BASIC.indexOf(':') + 2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"" + host + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        Matcher id = ID.matcher(r.body());
        if (r.statusCode() != 201 || !id.find()) {
            throw new IllegalStateException("issue through the API: " + r.statusCode() + " " + r.body());
        }
        return new long[] {Long.parseLong(id.group(1)), answered};
    }

    /** Milliseconds from the issuing answer until {@code server}'s API answers 200 for the certificate. */
    private static double untilListed(HttpClient client, CertwatchServer server, long[] issued) throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create(base(server) + "/api/v1/certificates/" + issued[0]))
                .timeout(Duration.ofSeconds(60)).header("Authorization", BASIC.substring(BASIC.indexOf(':') + 2)).GET().build();
        long deadline = issued[1] + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (client.send(get, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return (System.nanoTime() - issued[1]) / 1e6;
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("certificate " + issued[0] + " not listed by " + base(server) + " within 60 s");
    }

    /**
     * The server's CPU per replication (simulated agents with the agent's default TLS, full handshake and session resumed), on
     * PostgreSQL (server A; beside it PostgreSQL's processes and server B, which hears of every change) and on files.
     */
    private static void replication(CertwatchServer a, CertwatchServer b, CertwatchServer file,
            List<Figure> figures) throws Exception {
        List<List<Double>> fileCpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> sharedCpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> pgCpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> otherCpu = List.of(new ArrayList<>(), new ArrayList<>());
        try (LoadGeneratorCrypto crypto = LoadGeneratorCrypto.install();
                Simulator onFile = simulator(file, "agents-file");
                Simulator onShared = simulator(a, "agents-shared")) {
            for (int r = 0; r <= ROUNDS; r++) {
                for (int resumed = 0; resumed < 2; resumed++) {
                    boolean resume = resumed == 1;
                    if (resume) {
                        replicate(onFile.resume(true), file.process().pid(), List.of()); // sessions for the resumed round
                        replicate(onShared.resume(true), a.process().pid(), List.of());
                    }
                    double[] f = replicate(onFile.resume(resume), file.process().pid(), List.of());
                    double[] s = replicate(onShared.resume(resume), a.process().pid(),
                            List.of(postgresPids(), List.of(b.process().pid())));
                    if (r == 0) {
                        continue; // the first replications make the computers and warm the JIT
                    }
                    fileCpu.get(resumed).add(f[0]);
                    sharedCpu.get(resumed).add(s[0]);
                    pgCpu.get(resumed).add(s[1]);
                    otherCpu.get(resumed).add(s[2]);
                    System.out.printf(Locale.ROOT, "replication round %d (%s): server CPU per replication file %.2f ms,"
                            + " PostgreSQL %.2f ms (+ PostgreSQL's own %.2f ms, server B %.2f ms)%n", r,
                            resume ? "resumed" : "full handshake", f[0], s[0], s[1], s[2]);
                }
            }
        }
        String[] kinds = {"full handshake", "session resumed"};
        for (int k = 0; k < 2; k++) {
            figures.add(new Figure("shared: server CPU per replication on PostgreSQL, " + kinds[k] + " (the agent's default TLS, " + AGENTS
                    + " agents)", "ms", sharedCpu.get(k), FILE, fileCpu.get(k), "—", false));
            figures.add(new Figure("shared: PostgreSQL's processes' CPU per replication, " + kinds[k], "ms", pgCpu.get(k),
                    "", List.of(), "—", false));
            figures.add(new Figure("shared: the second server's CPU per replication on the first, " + kinds[k], "ms",
                    otherCpu.get(k), "", List.of(), "—", false));
        }
    }

    private static Simulator simulator(CertwatchServer server, String folder) throws Exception {
        String token = server.gogo("certwatch:enrol-token All " + AGENTS + " 24");
        if (!token.startsWith("cwt1.")) {
            throw new IllegalStateException("no enrolment token: " + token);
        }
        Simulator sim = new Simulator(server.data().resolveSibling(folder), "127.0.0.1",
                Integer.parseInt(server.env("CERTWATCH_AGENT_PORT")), AGENTS, 8, Clock.systemUTC());
        List<String> failures = sim.enrolAll(token);
        if (!failures.isEmpty()) {
            sim.close();
            throw new IllegalStateException(failures.size() + " enrolments failed, first: " + failures.get(0));
        }
        return sim;
    }

    /** One round; the CPU per replication of {@code pid} and of each group of {@code others} (ms). */
    private static double[] replicate(Simulator sim, long pid, List<List<Long>> others) throws Exception {
        double[] before = new double[others.size() + 1];
        before[0] = ProcessCpu.millis(pid);
        for (int i = 0; i < others.size(); i++) {
            before[i + 1] = cpu(others.get(i));
        }
        List<Agent.Outcome> outcomes = sim.round();
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " replications failed, e.g. "
                    + outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().message());
        }
        double[] perReplication = new double[before.length];
        perReplication[0] = (ProcessCpu.millis(pid) - before[0]) / outcomes.size();
        for (int i = 0; i < others.size(); i++) {
            perReplication[i + 1] = (cpu(others.get(i)) - before[i + 1]) / outcomes.size();
        }
        return perReplication;
    }

    private static double cpu(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            try {
                sum += ProcessCpu.millis(pid);
            } catch (java.io.IOException e) {
                // a backend that ended meanwhile: its time went to the postmaster's children's total
            }
        }
        return sum;
    }

    /**
     * PostgreSQL's processes, the postmaster and its backends: this JVM's descendants whose executable is
     * {@code postgres} (a backend's command line is its process title, which names neither the binary nor the folder).
     */
    private static List<Long> postgresPids() {
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            if (p.info().command().orElse("").endsWith("/postgres")) {
                pids.add(p.pid());
            }
        }
        return pids;
    }

    /**
     * The leader SIGKILLed while test notices stream into the shared outbox through the other server (one every
     * 20 ms): from the kill until the survivor's log says it mailed a notice. The killed server is started again as
     * the follower; the next sample kills the other one.
     */
    private static void failover(CertwatchServer a, CertwatchServer b, List<Double> seconds, List<Double> resent)
            throws Exception {
        try (MailReceiver mail = new MailReceiver()) {
            Soak.control(a, "mail 127.0.0.1 " + mail.port() + " NONE certwatch@example.org");
            String notification = Soak.control(a, "notify AGENT 30 ops@example.org All");
            CertwatchServer.await("B has the notification", WAIT,
                    () -> List.of(Soak.control(b, "notifications").split(" ")).contains(notification));
            Map<CertwatchServer, Integer> starts = new HashMap<>();
            for (int sample = 1; sample <= FAILOVERS; sample++) {
                CertwatchServer leader = leader(a, b, starts);
                CertwatchServer survivor = leader == a ? b : a;
                int mailedBefore = mailed(survivor);
                AtomicBoolean streaming = new AtomicBoolean(true);
                Thread queue = new Thread(() -> {
                    while (streaming.get()) {
                        survivor.probe("org.certwatch.monitorctl", "sendtestnotice " + notification);
                        pause(20);
                    }
                }, "shared-bench-notices");
                queue.start();
                try {
                    int leaderMailed = mailed(leader);
                    CertwatchServer.await("the leader mailing", WAIT, () -> mailed(leader) >= leaderMailed + 20);
                    leader.process().destroyForcibly().waitFor(); // SIGKILL
                    long killed = System.nanoTime();
                    CertwatchServer.await("a notice mailed by the new leader (" + survivor.data() + ")", FAILOVER_WAIT,
                            () -> mailed(survivor) > mailedBefore);
                    seconds.add((System.nanoTime() - killed) / 1e9);
                } finally {
                    streaming.set(false);
                    queue.join();
                }
                CertwatchServer.await("outbox empty", WAIT, () -> Soak.control(survivor, "outbox").startsWith("0"));
                mail.poll();
                List<MailReceiver.Receipt> receipts = mail.receipts();
                Set<String> distinct = new HashSet<>();
                receipts.forEach(x -> distinct.add(x.noticeId()));
                resent.add((double) (receipts.size() - distinct.size()));
                System.out.printf(Locale.ROOT, "failover %d: the new leader mailed %.2f s after the SIGKILL; %d notices"
                        + " mailed so far, %d of them a second time (at least once)%n", sample, last(seconds),
                        receipts.size(), receipts.size() - distinct.size());
                starts.put(leader, restart(leader));
            }
        }
    }

    private static int mailed(CertwatchServer server) {
        return (int) server.output().stream().filter(l -> l.contains("mailed to [")).count();
    }

    /** The server whose latest leadership line says it leads, once exactly one does; {@code starts}: see leads. */
    private static CertwatchServer leader(CertwatchServer a, CertwatchServer b, Map<CertwatchServer, Integer> starts) {
        CertwatchServer[] found = {null};
        CertwatchServer.await("exactly one leader", WAIT, () -> {
            boolean aLeads = leads(a, starts.getOrDefault(a, 0));
            boolean bLeads = leads(b, starts.getOrDefault(b, 0));
            found[0] = aLeads ? a : b;
            return aLeads != bLeads;
        });
        return found[0];
    }

    /**
     * Whether the latest leadership line of the server's current process (its output from line {@code from} on)
     * says it leads: the lease keeper logs changes only, so a server started again says nothing while it follows,
     * and the killed process's "is the leader" must not count.
     */
    private static boolean leads(CertwatchServer server, int from) {
        String latest = "";
        List<String> output = server.output();
        for (String line : output.subList(Math.min(from, output.size()), output.size())) {
            if (line.contains(") is the leader") || line.contains(") is not the leader")) {
                latest = line;
            }
        }
        return latest.contains(") is the leader") && server.process().isAlive();
    }

    /** Starts the killed server again; answers the index of its output's first line from the new process. */
    private static int restart(CertwatchServer server) throws Exception {
        int from = server.output().size();
        long ready = server.output().stream().filter(l -> l.contains("certwatch ready")).count();
        server.start();
        CertwatchServer.await("the killed server ready again", CertwatchServer.START_TIMEOUT,
                () -> server.output().stream().filter(l -> l.contains("certwatch ready")).count() > ready);
        CertwatchServer.await("its monitor control", WAIT,
                () -> server.probe("org.certwatch.monitorctl", "outbox").orElse("").startsWith("ok"));
        return from;
    }

    private static double percentile(List<Double> values, double p) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
