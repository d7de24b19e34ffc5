package org.certwatch.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch golden record|compare DIR}: the answers a refactoring must not change. A seed
 * data folder (made once, kept in {@code DIR/seed}) is started on a fixed test-clock instant; the
 * JSON API's GET endpoints (as an administrator and as a group user), {@code /metrics} and a walk
 * of CERTWATCH-MIB are written to {@code DIR/answers} ({@code record}) or compared with it
 * ({@code compare}, exit 1 on a difference). What moves with every run (ports, the instant the
 * answers were taken, request counters) is replaced by placeholders first.
 */
public final class Golden {
    static final Instant SEED_TIME = Instant.parse("2027-01-01T00:00:00Z");
    static final Instant ANSWER_TIME = Instant.parse("2027-01-20T12:00:00Z");
    private static final String ADMIN = "golden-admin-password";
    private static final String SNMP_USER = "golden";
    private static final String SNMP_AUTH = "golden-auth-password";
    private static final String SNMP_PRIV = "golden-priv-password";
    private static final Duration WAIT = Duration.ofSeconds(120);

    private Golden() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !List.of("record", "compare").contains(args[0])) {
            System.err.println("usage: ./certwatch golden record|compare DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[1]).toAbsolutePath();
        Path seed = dir.resolve("seed");
        if (!Files.isDirectory(seed)) {
            if (args[0].equals("compare")) {
                System.err.println("golden: no seed in " + seed + " (record first)");
                System.exit(2);
            }
            makeSeed(seed);
        }
        Map<String, String> answers = answers(seed);
        Path recorded = dir.resolve("answers");
        if (args[0].equals("record")) {
            deleteTree(recorded);
            Files.createDirectories(recorded);
            for (Map.Entry<String, String> a : answers.entrySet()) {
                Files.writeString(recorded.resolve(a.getKey()), a.getValue());
            }
            System.out.println("golden: recorded " + answers.size() + " answers in " + recorded);
            return;
        }
        int differences = 0;
        for (Map.Entry<String, String> a : answers.entrySet()) {
            Path file = recorded.resolve(a.getKey());
            String before = Files.exists(file) ? Files.readString(file) : null;
            if (!a.getValue().equals(before)) {
                differences++;
                Path now = Files.createDirectories(dir.resolve("now")).resolve(a.getKey());
                Files.writeString(now, a.getValue());
                System.out.println("golden: DIFFERS " + a.getKey() + (before == null ? " (new)" : "") + "  (diff "
                        + file + " " + now + ")");
            }
        }
        try (Stream<Path> old = Files.list(recorded)) {
            for (Path p : old.toList()) {
                if (!answers.containsKey(p.getFileName().toString())) {
                    differences++;
                    System.out.println("golden: MISSING " + p.getFileName());
                }
            }
        }
        System.out.println("golden: " + answers.size() + " answers, " + differences + " differ");
        System.exit(differences == 0 ? 0 : 1);
    }

    private static CertwatchServer prepare(String name) throws IOException {
        return CertwatchServer.prepare(name)
                .env("CERTWATCH_ADMIN_PASSWORD", ADMIN)
                .env("CERTWATCH_KEY_PASSWORD", "golden-key-password")
                .env("CERTWATCH_SNMP_USER", SNMP_USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", SNMP_AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", SNMP_PRIV);
    }

    /** Groups, users, CAs, issued, revoked and imported certificates, notifications: on {@link #SEED_TIME}. */
    private static void makeSeed(Path seed) throws Exception {
        try (CertwatchServer server = prepare("golden-seed")) {
            server.startAndAwaitReady();
            deployTestBundles(server);
            server.clock("at " + SEED_TIME);
            for (String g : List.of("All/Berlin", "All/Berlin/Mitte", "All/Hamburg")) {
                expect(server.gogo("certwatch:group-add " + g), "created");
            }
            expect(server.gogo("certwatch:user-add alice All/Berlin CERTIFICATES_READ,CERTIFICATES_USE,CERTIFICATES_WRITE,"
                    + "COMPUTERS_READ,COMPUTERS_WRITE --password-file " + server.passwordFile("alice-password")), "created");
            expect(server.gogo("certwatch:ca-create \"CN=Golden Berlin CA,O=Example\" 400 ec-p256"), "created");
            String base = "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT");
            String admin = "admin:" + ADMIN;
            String[][] issues = {
                {"1", "AGENT", "pc-1.example.org", "20", "All/Berlin"},
                {"1", "AGENT", "pc-2.example.org", "400", "All/Berlin/Mitte"},
                {"2", "PROXY", "proxy.example.org", "10", "All/Hamburg"},
                {"2", "MDM", "mdm.example.org", "120", "All"},
                {"1", "AGENT", "pc-3.example.org", "30", "All/Hamburg"}};
            for (String[] i : issues) {
                String body = "{\"caId\":" + i[0] + ",\"role\":\"" + i[1] + "\",\"host\":\"" + i[2]
                        + "\",\"alternativeNames\":[\"" + i[2].replace(".example.org", ".example.net") + "\",\"192.0.2.7\"],"
                        + "\"homeGroup\":\"" + i[4] + "\",\"notAfter\":\"" + SEED_TIME.plus(Duration.ofDays(Long.parseLong(i[3])))
                        + "\"}";
                expect(curl(base, admin, "POST", "/api/v1/certificates", body), "\"id\"");
            }
            expect(curl(base, admin, "POST", "/api/v1/certificates/5/revoke", "{\"reason\":\"superseded\"}"), "\"id\"");
            Path imported = seed.resolveSibling("imported.pem");
            Files.createDirectories(seed.getParent());
            run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", seed.resolveSibling("imported.key").toString(), "-out", imported.toString(),
                    "-subj", "/CN=edge.example/O=Elsewhere", "-days", "45", "-set_serial", "0x03E9",
                    "-addext", "subjectAltName=DNS:*.edge.example,IP:192.0.2.7,IP:2001:DB8::7"));
            expect(server.gogo("certwatch:import " + imported), "imported");
            expect(curl(base, admin, "POST", "/api/v1/notifications", "{\"name\":\"Berlin agents\",\"scope\":"
                    + "\"PEER_CERTIFICATES\",\"role\":\"AGENT\",\"thresholds\":[30,7],\"emailRecipients\":[\"ops@example.org\"],"
                    + "\"snmp\":true,\"ownerGroup\":\"All/Berlin\",\"enabled\":true}"), "\"id\"");
            expect(curl(base, admin, "PUT", "/api/v1/notifications/server-certificate",
                    "{\"emailRecipients\":[\"ops@example.org\"],\"thresholds\":[60,30,7]}"), "\"id\"");
            server.stop(Duration.ofSeconds(60));
            copyTree(server.data(), seed);
            Files.deleteIfExists(seed.resolve("testclock.port"));
        }
        System.out.println("golden: seed data folder in " + seed);
    }

    private static Map<String, String> answers(Path seed) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (CertwatchServer server = prepare("golden")) {
            copyTree(seed, server.data());
            Files.writeString(server.data().resolve("testclock.initial-offset"), Duration.between(Instant.now(), ANSWER_TIME).toString());
            Files.createDirectories(server.deploy());
            for (Path bundle : List.of(TestBundles.testClock(), TestBundles.gogoBridge())) {
                Files.copy(bundle, server.deploy().resolve(bundle.getFileName()));
            }
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            server.awaitLog(l -> l.contains("SNMP agent listening"), WAIT);
            server.clock("at " + ANSWER_TIME);
            String base = "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT");
            Normalizer normalize = new Normalizer(server);
            // settle: the monitor evaluates after the clock moved
            String status = "";
            for (int i = 0; i < 60; i++) {
                String now = curl(base, "admin:" + ADMIN, "GET", "/api/v1/status", null);
                if (now.equals(status) && now.contains("\"certificates\"")) {
                    break;
                }
                status = now;
                TimeUnit.SECONDS.sleep(2);
            }
            for (String[] user : new String[][] {{"admin", "admin:" + ADMIN}, {"alice", "alice:alice-password"}}) {
                List<String> paths = new ArrayList<>(List.of("/api/v1/session", "/api/v1/status", "/api/v1/attention",
                        "/api/v1/certificates", "/api/v1/certificates?status=EXPIRING", "/api/v1/certificates?role=AGENT&limit=2",
                        "/api/v1/cas", "/api/v1/computers", "/api/v1/groups", "/api/v1/users", "/api/v1/notifications",
                        "/api/v1/notifications/outbox", "/api/v1/settings/smtp", "/api/v1/settings/server-certificate",
                        "/api/v1/settings/snmp", "/api/v1/rollover", "/api/v1/certificates/999", "/metrics"));
                for (int id = 1; id <= 8; id++) {
                    paths.add("/api/v1/certificates/" + id);
                }
                paths.addAll(List.of("/api/v1/certificates/2/pem", "/api/v1/cas/1", "/api/v1/cas/2", "/api/v1/cas/2/pem",
                        "/api/v1/notifications/server-certificate", "/api/v1/notifications/ca"));
                for (String path : paths) {
                    String name = user[0] + path.replaceAll("[^A-Za-z0-9]+", "_");
                    out.put(name, normalize.apply(curlWithStatus(base, user[1], path)));
                }
            }
            int port = Integer.parseInt(server.env("CERTWATCH_SNMP_PORT"));
            out.put("snmp_walk", normalize.apply(run(List.of("snmpbulkwalk", "-v3", "-l", "authPriv", "-u", SNMP_USER,
                    "-a", "SHA-256", "-A", SNMP_AUTH, "-x", "AES", "-X", SNMP_PRIV, "-On", "-M", System.getenv().getOrDefault("CERTWATCH_BASE_MIBS", "") + ":" + Path.of(System.getProperty("certwatch.root", ".")).resolve("mibs"),
                    "-m", "CERTWATCH-MIB:SNMPv2-MIB", "-t", "5", "-r", "2",
                    "udp:127.0.0.1:" + port, "1.3.6.1.4.1.32473"))));
        }
        return out;
    }

    /** Replaces what differs between two runs on the same data: ports, the current instant, counters. */
    private record Normalizer(List<String[]> replacements) {
        Normalizer(CertwatchServer server) {
            this(List.of(
                    new String[] {":" + server.env("CERTWATCH_HTTPS_PORT") + "\\b", ":HTTPS_PORT"},
                    new String[] {":" + server.env("CERTWATCH_AGENT_PORT") + "\\b", ":AGENT_PORT"},
                    new String[] {"\"csrf\":\"[^\"]*\"", "\"csrf\":\"CSRF\""},
                    // the instants the answers were taken at (the clock runs on from ANSWER_TIME)
                    new String[] {"2027-01-20T1[23]:[0-9:.]+Z", "NOW"},
                    new String[] {"2027-1-20,1[23]:[0-9]+:[0-9]+\\.[0-9]+", "NOW"},
                    // delivery attempts of the outbox go on while the answers are taken
                    new String[] {"\"attempts\":[0-9]+,\"lastError\":\"[^\"]*\"", "\"attempts\":N,\"lastError\":\"ERROR\""},
                    new String[] {"(?m)^(certwatch_web_requests_total|certwatch_snmp_requests_total|certwatch_web_logins_total"
                            + "|certwatch_web_login_failures_total|certwatch_notices_failed_total|certwatch_notices_delivered_total)(\\{[^}]*\\})? .*$", "$1$2 COUNTER"},
                    // seconds left move on while the answers are taken
                    new String[] {"(?m)^(x509_cert_expires_in_seconds\\{[^}]*\\}) .*$", "$1 SECONDS"},
                    new String[] {"(?m)^(\\.1\\.3\\.6\\.1\\.2\\.1\\.1\\.3\\.0 = ).*$", "$1UPTIME"}));
        }

        String apply(String text) {
            String result = text;
            for (String[] r : replacements) {
                result = Pattern.compile(r[0]).matcher(result).replaceAll(r[1]);
            }
            return result;
        }
    }

    private static void deployTestBundles(CertwatchServer server) throws Exception {
        server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
        for (Path bundle : List.of(TestBundles.testClock(), TestBundles.gogoBridge())) {
            CertwatchServer.placeAtomically(bundle, server.deploy().resolve(bundle.getFileName()));
        }
        CertwatchServer.await("test clock", WAIT, () -> Files.exists(server.data().resolve("testclock.port")));
        server.awaitGogo("certwatch:ca-list", WAIT);
    }

    private static String curlWithStatus(String base, String user, String path) throws Exception {
        return run(List.of("curl", "-sk", "-u", user, "-w", "\nHTTP %{http_code} %{content_type}\n", base + path));
    }

    private static String curl(String base, String user, String method, String path, String body) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sk", "-u", user, "-X", method));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", body));
        }
        command.add(base + path);
        return run(command);
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(command + " hangs");
        }
        return out;
    }

    private static void expect(String answer, String contains) {
        if (!answer.contains(contains)) {
            throw new IllegalStateException("unexpected answer: " + answer);
        }
    }

    /** A folder copied with its files' attributes (the benchmarks' copies of agents' folders too). */
    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
