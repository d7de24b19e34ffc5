package org.certwatch.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.snmp4j.PDU;
import org.snmp4j.Target;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;

/**
 * The soak's load, one thread per kind, each running until {@link #stop}: the web API, SNMP polling,
 * agent replication rounds, issuance/revocation, the moving clock and the bundle redeploys. Every
 * request is counted in the ledger; a failed one is recorded with the bundle that serves it.
 */
final class SoakLoad {
    /** The bundles redeployed in turn, one per minute. */
    static final List<String> ROTATION = List.of("web", "snmp", "mail", "monitor");
    static final String SOAK_GROUP = "All/Soak";
    private static final OID CERT_TABLE = new OID("1.3.6.1.4.1.32473.1.1.3");
    private static final OID SUMMARY = new OID("1.3.6.1.4.1.32473.1.1.1");
    private static final Pattern ISSUED = Pattern.compile("^(\\d+) ");
    private static final List<String> PAGES = List.of("/api/v1/status", "/api/v1/certificates?limit=100",
            "/api/v1/certificates?status=EXPIRING&limit=50", "/", "/api/v1/attention", "/api/v1/computers?limit=50",
            "/api/v1/cas");
    /** The web configuration's session idle time (the soak sets it, see Soak): server time, moved by the clock. */
    static final Duration SESSION_IDLE = Duration.ofMinutes(1440);

    private final CertwatchServer server;
    private final SoakLedger ledger;
    private final ServerClock clock;
    private final Random random;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private final List<Long> soakCertificates = new CopyOnWriteArrayList<>();
    private final HttpClient http;
    private final String base;
    private final String adminPassword;
    private final long bulkFirst;
    private final long bulkLast;
    private final Path variants;
    private int redeploys;
    private volatile int revoked;

    private SoakLoad(CertwatchServer server, SoakLedger ledger, ServerClock clock, long seed, String adminPassword,
            long bulkFirst, long bulkLast) throws Exception {
        this.server = server;
        this.ledger = ledger;
        this.clock = clock;
        this.random = new Random(seed);
        this.adminPassword = adminPassword;
        this.bulkFirst = bulkFirst;
        this.bulkLast = bulkLast;
        this.http = HttpClient.newBuilder().sslContext(WebBench.trustAll()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        this.base = "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT");
        this.variants = java.nio.file.Files.createDirectories(server.data().resolveSibling("variants"));
    }

    private interface Loop {
        void run() throws Exception;
    }

    static SoakLoad start(CertwatchServer server, SoakLedger ledger, ServerClock clock, long seed, String adminPassword,
            long bulkFirst, long bulkLast, SnmpLoad snmp, Target<UdpAddress> snmpTarget, Simulator agents)
            throws Exception {
        SoakLoad load = new SoakLoad(server, ledger, clock, seed, adminPassword, bulkFirst, bulkLast);
        load.thread("soak-web-1", load::web);
        load.thread("soak-web-2", load::web);
        load.thread("soak-metrics", load::metrics);
        load.thread("soak-snmp", () -> load.snmp(snmp, snmpTarget));
        load.thread("soak-agents", () -> load.agents(agents));
        load.thread("soak-issue", load::issue);
        load.thread("soak-clock", load::clock);
        load.thread("soak-redeploy", load::redeploy);
        return load;
    }

    private void thread(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (InterruptedException e) {
                // stopped
            } catch (Exception e) {
                ledger.failure(Instant.now(), "soak", "soak", name + " ended: " + e);
                e.printStackTrace();
            }
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    /** Stops every loop; a redeploy under way is finished first, so every bundle is back at the end. */
    void stop() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(5).toMillis());
        }
    }

    int redeploys() {
        return redeploys;
    }

    int soakCertificates() {
        return soakCertificates.size() + revoked;
    }

    private void pause(long millis) throws InterruptedException {
        long end = System.currentTimeMillis() + millis;
        while (running.get() && System.currentTimeMillis() < end) {
            Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
        }
    }

    // ---- web ----

    private String login() throws Exception {
        return WebBench.login(http, base, "admin", adminPassword);
    }

    private void web() throws Exception {
        String cookie = login();
        Instant loggedIn = Instant.now();
        Instant lastAnswer = clock.instant();
        while (running.get()) {
            String path = PAGES.get(random.nextInt(PAGES.size()));
            Instant sent = Instant.now();
            ledger.request("web");
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
                        .timeout(Duration.ofSeconds(30)).header("Cookie", cookie).header("Accept-Encoding", "gzip")
                        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                boolean loggedOut = r.statusCode() == 401 || r.statusCode() == 303;
                if (loggedOut && (ledger.redeployedSince("web", loggedIn)
                        || !clock.instant().isBefore(lastAnswer.plus(SESSION_IDLE)))) {
                    // documented: sessions live in the web bundle's memory (a redeploy logs everyone out) and
                    // expire after the idle time by the server's clock, which the soak moves
                    cookie = login();
                    loggedIn = Instant.now();
                    lastAnswer = clock.instant();
                    ledger.request("web-relogin");
                } else if (r.statusCode() == 200) {
                    lastAnswer = clock.instant();
                } else {
                    ledger.failure(sent, "web", "web", "GET " + path + ": HTTP " + r.statusCode());
                }
            } catch (IOException e) {
                ledger.failure(sent, "web", "web", "GET " + path + ": " + e);
            }
            pause(40);
        }
    }

    /**
     * {@code /metrics} as Prometheus scrapes it: every 30 s, HTTP Basic, gzip; the time and size of each
     * scrape go to the ledger (it lists every certificate: 100,000 × 4 gauges).
     */
    private void metrics() throws Exception {
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString(("admin:" + adminPassword)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        while (running.get()) {
            Instant sent = Instant.now();
            ledger.request("metrics");
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                        .timeout(Duration.ofSeconds(120)).header("Authorization", basic).header("Accept-Encoding", "gzip")
                        .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    ledger.failure(sent, "metrics", "web", "GET /metrics: HTTP " + r.statusCode());
                } else {
                    ledger.timing("metrics", Duration.between(sent, Instant.now()), r.body().length);
                }
            } catch (IOException e) {
                ledger.failure(sent, "metrics", "web", "GET /metrics: " + e);
            }
            pause(30_000);
        }
    }

    /** Revokes through the JSON API with the session's CSRF token, as an admin's script would. */
    private void revokeThroughWeb(long id) throws Exception {
        Instant sent = Instant.now();
        ledger.request("web-revoke");
        try {
            String cookie = login();
            HttpResponse<String> s = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/session"))
                    .timeout(Duration.ofSeconds(30)).header("Cookie", cookie).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            Matcher token = Pattern.compile("\"csrf\"\\s*:\\s*\"([^\"]+)\"").matcher(s.body());
            if (!token.find()) {
                ledger.failure(sent, "web-revoke", "web", "no CSRF token: HTTP " + s.statusCode() + " " + s.body());
                return;
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/certificates/" + id
                    + "/revoke")).timeout(Duration.ofSeconds(30)).header("Cookie", cookie)
                    .header("X-CSRF-Token", token.group(1)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"superseded\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                ledger.failure(sent, "web-revoke", "web", "revoke " + id + ": HTTP " + r.statusCode() + " " + r.body());
            }
        } catch (IOException | IllegalStateException e) {
            ledger.failure(sent, "web-revoke", "web", "revoke " + id + ": " + e);
        }
    }

    // ---- SNMP ----

    /** GETs of the summary and GETBULK×50 steps through cwCertTable (wrapping at its end), v3 authPriv. */
    private void snmp(SnmpLoad snmp, Target<UdpAddress> target) throws Exception {
        OID cursor = CERT_TABLE;
        long n = 0;
        while (running.get()) {
            Instant sent = Instant.now();
            boolean bulk = n++ % 3 != 0;
            ledger.request(bulk ? "snmp-getbulk" : "snmp-get");
            PDU r = bulk ? snmp.request(target, PDU.GETBULK, 50, cursor)
                    : snmp.request(target, PDU.GET, 0, SnmpConstants.sysUpTime, new OID(SUMMARY).append(3).append(0),
                            new OID(SUMMARY).append(5).append(0));
            if (r == null) {
                ledger.failure(sent, "snmp", "snmp", (bulk ? "GETBULK " + cursor : "GET") + ": no answer");
            } else if (r.getErrorStatus() != 0 || r.getType() == PDU.REPORT) {
                ledger.failure(sent, "snmp", "snmp", (bulk ? "GETBULK " : "GET ") + r.getErrorStatusText() + " "
                        + r.getVariableBindings());
            } else if (bulk) {
                VariableBinding last = r.get(r.size() - 1);
                ledger.requests("snmp-varbinds", r.size());
                cursor = last.isException() || !last.getOid().startsWith(CERT_TABLE) ? CERT_TABLE : last.getOid();
            }
            pause(30);
        }
    }

    // ---- agents ----

    /** The fleet replicates once a minute (the default interval), every agent on a resumed TLS session. */
    private void agents(Simulator sim) throws Exception {
        sim.resume(true);
        while (running.get()) {
            Instant sent = Instant.now();
            List<Agent.Outcome> outcomes = sim.round();
            ledger.requests("agent-replication", outcomes.size());
            for (Agent.Outcome o : outcomes) {
                if (!o.ok()) {
                    ledger.failure(sent, "agent", "fleet", o.message());
                }
            }
            pause(Math.max(0, 60_000 - Duration.between(sent, Instant.now()).toMillis()));
        }
    }

    // ---- issuance, revocation, time ----

    private String control(String bundle, String command) throws IOException {
        String answer = server.probe(bundle, command, Duration.ofSeconds(60));
        if (!answer.startsWith("ok")) {
            throw new IOException(command + " -> " + answer);
        }
        return answer.substring(2).trim();
    }

    /**
     * Every 2 s one AGENT certificate in the soak's group, expiring 1–30 h (server time) from now, so
     * with the clock moving 2 h per minute certificates cross the 1-day threshold and expire all the
     * time; every 10 s one of them is revoked through the web API and one bulk certificate through the
     * store driver.
     */
    private void issue() throws Exception {
        long n = 0;
        while (running.get()) {
            Instant sent = Instant.now();
            Instant notAfter = clock.instant().plusSeconds(3600 + random.nextInt(29 * 3600));
            ledger.request("issue");
            try {
                Matcher m = ISSUED.matcher(control("org.certwatch.monitorctl", "issue AGENT soak-" + n
                        + ".example.org " + SOAK_GROUP + " " + notAfter));
                if (m.find()) {
                    soakCertificates.add(Long.parseLong(m.group(1)));
                }
            } catch (IOException e) {
                ledger.failure(sent, "issue", "store", e.getMessage());
            }
            if (++n % 5 == 0 && soakCertificates.size() > 10) {
                // each at most once: revoking a revoked certificate is a 409 by design
                revokeThroughWeb(soakCertificates.remove(random.nextInt(soakCertificates.size())));
                revoked++;
                Instant at = Instant.now();
                ledger.request("revoke-bulk");
                long id = bulkFirst + (long) (random.nextDouble() * (bulkLast - bulkFirst));
                try {
                    control("org.certwatch.storedriver", "revoke " + id);
                } catch (IOException e) {
                    ledger.failure(at, "revoke-bulk", "store", e.getMessage());
                }
            }
            pause(2000);
        }
    }

    /**
     * Moves the server's test clock 4 minutes every 2 s and the agents' clock with it; the soak lets the
     * agent endpoint accept 3600 s of clock skew (see Soak), so a replication that waits up to 30 s in a
     * queue across several steps is not refused.
     */
    private void clock() throws Exception {
        while (running.get()) {
            Instant sent = Instant.now();
            ledger.request("clock");
            try {
                String answer = server.clock("advance PT4M");
                String[] parts = answer.split(" ");
                if (!answer.startsWith("ok") || parts.length < 3) {
                    throw new IOException(answer);
                }
                clock.offset(Duration.parse(parts[2]));
            } catch (IOException | RuntimeException e) {
                ledger.failure(sent, "clock", "testclock", e.toString());
            }
            pause(2000);
        }
    }

    // ---- redeploys ----

    /**
     * One bundle a minute in turn: its jar in deploy/ replaced by a copy with one changed header, so
     * FileInstall updates it in place. The window lasts until the bundle serves again: web and SNMP
     * listening, the mail service registered, the monitor evaluated.
     */
    private void redeploy() throws Exception {
        int turn = 0;
        while (true) {
            pause(60_000);
            if (!running.get()) {
                return;
            }
            String name = ROTATION.get(turn++ % ROTATION.size());
            Path jar = server.deploy().resolve("org.certwatch." + name + ".jar");
            int updates = count("Updating bundle org.certwatch." + name);
            int ready = count(readyLine(name));
            Path changed = TestBundles.variant(jar, variants, name + ".jar", Map.of("X-Soak-Redeploy", Integer.toString(turn)));
            Instant start = Instant.now();
            ledger.redeployStarted(name, start);
            CertwatchServer.placeAtomically(changed, jar);
            CertwatchServer.await(name + " updated", Duration.ofMinutes(2),
                    () -> count("Updating bundle org.certwatch." + name) > updates);
            CertwatchServer.await(name + " serving again", Duration.ofMinutes(2), () -> serving(name, ready));
            Instant end = Instant.now();
            ledger.redeployEnded(name, end);
            redeploys++;
            System.out.printf("soak: redeployed %s in %d ms%n", name, Duration.between(start, end).toMillis());
        }
    }

    private static String readyLine(String name) {
        return switch (name) {
            case "web" -> "web: listening";
            case "snmp" -> "SNMP agent listening";
            case "monitor" -> "expiry monitor ready";
            default -> "\u0000none";
        };
    }

    private boolean serving(String name, int readyBefore) {
        if (name.equals("mail")) {
            return server.probe("org.certwatch.monitorctl", "mailservice").orElse("").equals("ok true");
        }
        return count(readyLine(name)) > readyBefore;
    }

    private int count(String text) {
        return (int) server.output().stream().filter(l -> l.contains(text)).count();
    }
}
