package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Hostile input to the JSON API over real HTTPS: mutated bodies for every POST endpoint (while many
 * slow clients trickle their headers and others sit idle), huge headers, huge and endless bodies, and
 * path junk. Every answer is a 2xx (the mutant was still valid: accounted for) or a 4xx problem, never
 * a 5xx or a stack trace, and the listings after equal the listings before plus what the 2xx answers
 * created. The seed is printed; {@code -Dcertwatch.fuzz.seed=N} replays it, {@code
 * -Dcertwatch.fuzz.web.cases=N} sets the cases per endpoint.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebFuzzIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROOT = WebClient.basic("root");

    /** One endpoint to fuzz: path, content type and a valid body as [field, raw value] pairs. */
    record Endpoint(String path, String contentType, List<String[]> body) {
        boolean form() {
            return contentType.startsWith("application/x-www-form-urlencoded");
        }
    }

    private CertwatchServer server;
    private WebClient web;
    private long caId;
    private long revokeTarget;
    private long exportTarget;

    @BeforeAll
    void start() throws Exception {
        server = CertwatchServer.prepare("web-fuzz").env("CERTWATCH_KEY_PASSWORD", "it-key-password").quiet();
        WebUsers.fastPasswords(server);
        server.startAndAwaitReady();
        server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);
        WebUsers.create(server);
        Path work = Files.createDirectories(server.data().getParent().resolve("web-fuzz"));
        web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
        web.awaitSignIn(ROOT, WAIT);
        caId = created(web.send("POST", "/api/v1/cas", "{\"subject\":\"CN=Fuzz CA\",\"validityDays\":3650}",
                "Authorization", ROOT, "Content-Type", "application/json"));
        revokeTarget = created(web.send("POST", "/api/v1/certificates", "{\"caId\":" + caId
                + ",\"role\":\"AGENT\",\"host\":\"revoke-me.example.org\"}", "Authorization", ROOT));
        exportTarget = created(web.send("POST", "/api/v1/certificates", "{\"caId\":" + caId
                + ",\"role\":\"AGENT\",\"host\":\"export-me.example.org\"}", "Authorization", ROOT));
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static long created(WebClient.Reply r) throws Exception {
        assertEquals(201, r.status(), r.body());
        return JSON.readTree(r.body()).get("id").asLong();
    }

    private static String[] field(String name, String rawJson) {
        return new String[] {name, rawJson};
    }

    /** Every POST endpoint of the API; a new one is one more line here. */
    private List<Endpoint> endpoints() {
        String json = "application/json";
        return List.of(
                new Endpoint("/api/v1/certificates", json, List.of(field("caId", Long.toString(caId)),
                        field("role", "\"AGENT\""), field("host", "\"pc-1.example.org\""),
                        field("alternativeNames", "[\"pc-1.example.org\"]"), field("subject", "null"),
                        field("description", "\"fuzz\""), field("homeGroup", "\"All\""), field("keyType", "\"ec-p256\""),
                        field("notAfter", "\"2027-01-31T00:00:00Z\""))),
                new Endpoint("/api/v1/cas", json, List.of(field("subject", "\"CN=Fuzzed CA,O=Example\""),
                        field("keyType", "\"ec-p256\""), field("validityDays", "3650"), field("description", "\"\""),
                        field("homeGroup", "\"All\""))),
                new Endpoint("/api/v1/certificates/" + revokeTarget + "/revoke", json,
                        List.<String[]>of(field("reason", "\"keyCompromise\""))),
                new Endpoint("/api/v1/certificates/" + exportTarget + "/pkcs12", json,
                        List.<String[]>of(field("password", "\"long-enough-password\""))),
                // the login form (a page, not the API): "reader", so that its lockout hinders no other case
                new Endpoint("/login", "application/x-www-form-urlencoded", List.of(field("user", "reader"),
                        field("password", "reader-password"), field("next", "/"))));
    }

    @Test
    @Order(1)
    void mutatedBodiesGetProblemsWhileSlowAndIdleClientsWaitAndNothingElseChanges() throws Exception {
        long seed = Long.getLong("certwatch.fuzz.seed", new Random().nextLong());
        int casesPerEndpoint = Integer.getInteger("certwatch.fuzz.web.cases", 200);
        System.out.println("WebFuzzIT: seed " + seed + " (replay with -Dcertwatch.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        BodyMutator mutator = new BodyMutator(random);
        Map<Long, JsonNode> certificatesBefore = listing("/api/v1/certificates");
        Map<Long, JsonNode> casBefore = listing("/api/v1/cas");
        Set<Long> createdCertificates = new HashSet<>();
        Set<Long> createdCas = new HashSet<>();
        boolean revoked = false;
        List<String> failures = new ArrayList<>();
        Map<String, Integer> statuses = new TreeMap<>();
        long slowest = 0;
        int cases = 0;

        SlowClients slow = SlowClients.open(web, 150, 50, 50);
        try {
            for (Endpoint e : endpoints()) {
                for (int i = 0; i < casesPerEndpoint; i++) {
                    BodyMutator.Mutant m = mutator.mutate(e.body(), e.form());
                    long t0 = System.nanoTime();
                    WebClient.Reply r = web.sendBytes("POST", e.path(), m.body(), "Authorization", ROOT,
                            "Content-Type", e.contentType());
                    slowest = Math.max(slowest, System.nanoTime() - t0);
                    cases++;
                    if (cases % 10 == 0) {
                        slow.trickle();
                    }
                    statuses.merge(e.path().replaceAll("/\\d+/", "/{id}/") + " " + r.status(), 1, Integer::sum);
                    String problem = e.form() ? pageProblemOrNull(r) : problemOrNull(r);
                    if (problem != null) {
                        failures.add(e.path() + " case " + i + " (" + m.what() + "): " + problem);
                    } else if (r.status() == 201 && e.path().endsWith("/certificates")) {
                        createdCertificates.add(JSON.readTree(r.body()).get("id").asLong());
                    } else if (r.status() == 201 && e.path().endsWith("/cas")) {
                        createdCas.add(JSON.readTree(r.body()).get("id").asLong());
                    } else if (r.status() == 200 && e.path().endsWith("/revoke")) {
                        revoked = true;
                    }
                }
            }
            System.out.printf("WebFuzzIT: %d mutated bodies, slowest answer %d ms while %d clients trickled headers"
                    + " (%d still open at the end); answers %s%n", cases, slowest / 1_000_000, slow.trickling(),
                    slow.stillTrickling(), statuses);
            assertTrue(slowest < Duration.ofSeconds(30).toNanos(), "the server kept serving others");
            // idle connections (TCP only, or TLS without a request) are closed by the server's idle timeout
            CertwatchServer.await("idle connections closed", Duration.ofSeconds(90), slow::idleAllClosed);
        } finally {
            slow.close();
        }
        assertEquals(List.of(), failures, "seed " + seed);
        assertUnchangedBut(certificatesBefore, listing("/api/v1/certificates"), createdCertificates,
                revoked ? Set.of(revokeTarget) : Set.of());
        assertUnchangedBut(casBefore, listing("/api/v1/cas"), createdCas, Set.of());
        assertNoInternalErrorLogged();
    }

    @Test
    @Order(2)
    void hugeHeadersHugeBodiesAndPathJunkAreRefusedWithProblems() throws Exception {
        Map<Long, JsonNode> before = listing("/api/v1/certificates");
        List<String> failures = new ArrayList<>();
        // one enormous header, and very many small ones
        check(failures, "64 KiB header", RawHttp.exchange(web, "GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n"
                + "X-Big: " + "a".repeat(64 * 1024) + "\r\nAuthorization: " + ROOT + "\r\n\r\n"), 431, 400);
        check(failures, "10,000 headers", RawHttp.exchange(web, "GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n"
                + "X-h: v\r\n".repeat(10_000) + "Authorization: " + ROOT + "\r\n\r\n"), 431, 400);
        check(failures, "a 10 GB Content-Length", RawHttp.exchange(web, "POST /api/v1/cas HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + ROOT + "\r\nContent-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n{"),
                413);
        check(failures, "an endless chunked body", RawHttp.endlessChunkedBody(web, "/api/v1/cas", ROOT), 413);
        check(failures, "a negative Content-Length", RawHttp.exchange(web, "POST /api/v1/cas HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: " + ROOT + "\r\nContent-Length: -5\r\n\r\n{}"), 400);
        // path junk: each answered with a 4xx (a problem under /api/), never a 5xx or a stack trace
        for (String path : List.of("/api/v1/certificates/%00", "/api/v1/certificates/99999999999999999999",
                "/api/v1/certificates/-1", "/api/v1/certificates/1e3", "/api/v1/../../etc/passwd",
                "/api/v1/%2e%2e/%2e%2e/etc/passwd", "/api/v1/certificates/%ff%fe", "/api/v1/certificates;x=y",
                "/api/v1/certificates?limit=-1&offset=abc", "/api/v1/certificates?status=%00&role=%zz",
                "/api/v1/certificates/" + exportTarget + "/pem?name=..%2f..%2fx", "/api/v1/" + "a/".repeat(2000),
                "/api/v1/cas/" + "9".repeat(5000), "/api/v1/certificates//1", "/api/v1/\u00e4\u00f6", "/api/v1",
                "/api/v1/certificates/1/nosuch/deeper", "//api//v1//cas", "/api/v1/certificates/%2F1")) {
            RawHttp.Answer a = RawHttp.exchange(web, "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + ROOT + "\r\n\r\n");
            // a 2xx is fine where Jetty normalised the junk into a real path (e.g. "//api//v1//cas")
            if (a.status() < 0 || a.status() >= 500 || a.body().contains("Exception") || a.body().contains("\tat ")) {
                failures.add(path + ": " + a.status() + " " + a.body());
            } else if (path.startsWith("/api/") && a.status() >= 400 && !a.contentType().contains("problem+json")) {
                failures.add(path + ": " + a.status() + " without a problem: " + a.contentType() + " " + a.body());
            }
        }
        for (String method : List.of("PUT", "DELETE", "PATCH", "TRACE", "FOO")) {
            RawHttp.Answer a = RawHttp.exchange(web, method + " /api/v1/cas HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + ROOT + "\r\nContent-Length: 2\r\n\r\n{}");
            check(failures, method + " /api/v1/cas", a, 405, 404, 400, 501);
        }
        assertEquals(List.of(), failures);
        assertUnchangedBut(before, listing("/api/v1/certificates"), Set.of(), Set.of());
        assertNoInternalErrorLogged();
    }

    /** Defects the fuzzer found, kept by name: each was a 500 before it was fixed. */
    @Test
    @Order(3)
    void regressionsFoundByTheFuzzer() throws Exception {
        Map<Long, JsonNode> before = listing("/api/v1/certificates");
        // a subject with an unpaired surrogate: Bouncy Castle failed only while encoding the certificate
        WebClient.Reply surrogate = web.sendBytes("POST", "/api/v1/certificates", ("{\"caId\":" + caId
                + ",\"role\":\"AGENT\",\"host\":\"pc-9.example.org\",\"subject\":\"\\uDFFF\\uD800\"}")
                .getBytes(StandardCharsets.UTF_8), "Authorization", ROOT, "Content-Type", "application/json");
        assertEquals(400, surrogate.status(), surrogate.body());
        assertTrue(surrogate.body().contains("unpaired UTF-16 surrogate"), surrogate.body());
        // a null among the alternative names: the request record's List.copyOf threw
        WebClient.Reply nullName = web.send("POST", "/api/v1/certificates", "{\"caId\":" + caId
                + ",\"role\":\"AGENT\",\"host\":\"pc-9.example.org\",\"alternativeNames\":[\"a.example.org\",null]}",
                "Authorization", ROOT, "Content-Type", "application/json");
        assertEquals(400, nullName.status(), nullName.body());
        assertTrue(nullName.body().contains("field 'alternativeNames'"), nullName.body());
        assertUnchangedBut(before, listing("/api/v1/certificates"), Set.of(), Set.of());
    }

    /** Found while fuzzing the login form: each failed login kept its (here 512 KiB) user name, forever. */
    @Test
    @Order(4)
    void failedLoginsWithHugeMadeUpNamesKeepTheHeapBounded() throws Exception {
        long pid = server.process().pid();
        ServerMemory before = ServerMemory.of(pid);
        String padding = "u".repeat(512 * 1024);
        for (int i = 0; i < 60; i++) {
            WebClient.Reply r = web.sendBytes("POST", "/login", ("user=" + i + padding + "&password=x&next=/")
                    .getBytes(StandardCharsets.US_ASCII), "Content-Type", "application/x-www-form-urlencoded");
            assertTrue(r.status() < 500, r.status() + " " + r.body());
        }
        ServerMemory after = ServerMemory.of(pid);
        System.out.println("WebFuzzIT: 60 failed logins with 512 KiB names: before " + before + ", after " + after);
        assertTrue(after.heapUsedAfterGcKb() - before.heapUsedAfterGcKb() < 16 * 1024, before + " → " + after);
    }

    private static void check(List<String> failures, String what, RawHttp.Answer a, int... expected) {
        boolean ok = false;
        for (int e : expected) {
            ok |= a.status() == e;
        }
        if (!ok || a.body().contains("Exception") || !a.contentType().contains("problem+json")) {
            failures.add(what + ": " + a.status() + " " + a.contentType() + " "
                    + a.body().substring(0, Math.min(300, a.body().length())));
        }
    }

    /** Null when the answer is acceptable for hostile input, else what is wrong with it. */
    private static String problemOrNull(WebClient.Reply r) {
        if (r.status() >= 500) {
            return r.status() + " " + r.body();
        }
        if (r.body().contains("Exception") || r.body().contains("\tat ")) {
            return "a stack trace or exception name in the answer: " + r.body();
        }
        if (r.status() >= 400 && !"application/problem+json".equals(r.header("content-type"))) {
            return r.status() + " without a problem+json body: " + r.header("content-type");
        }
        if (r.status() >= 300 && r.status() < 400) {
            return "a redirect: " + r.status();
        }
        return null;
    }

    /** The login page answers with a redirect (logged in, or back to the form) or a 4xx, never a 5xx or a trace. */
    private static String pageProblemOrNull(WebClient.Reply r) {
        if (r.status() >= 500 || r.body().contains("Exception") || r.body().contains("\tat ")) {
            return r.status() + " " + r.body();
        }
        return null;
    }

    private Map<Long, JsonNode> listing(String path) throws Exception {
        Map<Long, JsonNode> items = new TreeMap<>();
        WebClient.Reply r = web.get(path + "?limit=1000", "Authorization", ROOT);
        assertEquals(200, r.status(), r.body());
        for (JsonNode item : JSON.readTree(r.body()).get("items")) {
            items.put(item.get("id").asLong(), item);
        }
        return items;
    }

    private static void assertUnchangedBut(Map<Long, JsonNode> before, Map<Long, JsonNode> after, Set<Long> created,
            Set<Long> revoked) {
        Map<Long, JsonNode> expectedOld = new HashMap<>(before);
        Map<Long, JsonNode> actualOld = new HashMap<>(after);
        actualOld.keySet().removeAll(created);
        assertEquals(expectedOld.keySet(), actualOld.keySet(), "only the accepted mutants created something");
        for (Long id : before.keySet()) {
            if (!revoked.contains(id)) {
                assertEquals(strip(before.get(id)), strip(after.get(id)), "item " + id + " unchanged");
            }
        }
        assertTrue(after.keySet().containsAll(created));
    }

    /** Without the fields that move with the clock. */
    private static JsonNode strip(JsonNode item) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = item.deepCopy();
        copy.remove(List.of("daysLeft", "status"));
        return copy;
    }

    private void assertNoInternalErrorLogged() {
        List<String> errors = server.output().stream()
                .filter(l -> l.contains("request ") && l.contains(" failed") || l.contains("SEVERE") || l.contains(" ERROR "))
                .toList();
        assertEquals(List.of(), errors, "internal errors in the server log");
    }

    /** Raw HTTP/1.1 over TLS for what HTTP clients refuse to send. */
    static final class RawHttp {
        record Answer(int status, String contentType, String body) {
        }

        /** Writes on another thread: the server may answer (431, 413) and hang up before it has read everything. */
        static Answer exchange(WebClient web, String request) throws Exception {
            try (javax.net.ssl.SSLSocket s = web.rawSocket()) {
                Thread writer = new Thread(() -> {
                    try {
                        s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                        s.getOutputStream().flush();
                    } catch (IOException hungUp) {
                        // the answer tells why
                    }
                }, "raw-request");
                writer.start();
                try {
                    return read(s.getInputStream());
                } finally {
                    s.close();
                    writer.join(30_000);
                }
            }
        }

        /** Streams chunks until the server answers or hangs up; at most 64 MiB. */
        static Answer endlessChunkedBody(WebClient web, String path, String auth) throws Exception {
            try (javax.net.ssl.SSLSocket s = web.rawSocket()) {
                OutputStream out = s.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + auth
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                AtomicBoolean answered = new AtomicBoolean();
                Thread writer = new Thread(() -> {
                    byte[] chunk = ("10000\r\n" + "[".repeat(0x10000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    try {
                        for (int i = 0; i < 1024 && !answered.get(); i++) {
                            out.write(chunk);
                        }
                    } catch (IOException hungUp) {
                        // the server answered and closed: what we want
                    }
                }, "endless-body");
                writer.start();
                try {
                    return read(s.getInputStream());
                } finally {
                    answered.set(true);
                    s.close();
                    writer.join(30_000);
                }
            }
        }

        private static Answer read(InputStream in) {
            try {
                return readAnswer(in);
            } catch (IOException e) {
                return new Answer(-1, "", "no HTTP answer: " + e);
            }
        }

        private static Answer readAnswer(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    break;
                }
            }
            String h = head.toString();
            if (!h.startsWith("HTTP/1.1 ")) {
                return new Answer(-1, "", "no HTTP answer: '" + h + "'");
            }
            int status = Integer.parseInt(h.substring(9, 12));
            String type = header(h, "content-type");
            String length = header(h, "content-length");
            byte[] body = length.isEmpty() ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
            return new Answer(status, type, new String(body, StandardCharsets.UTF_8));
        }

        private static String header(String head, String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }
    }

    /**
     * Slowloris-style clients: TLS connections that trickle request headers, one line at a time and
     * never finish, plus connections that stay silent (TCP only, and TLS without a request).
     */
    static final class SlowClients implements AutoCloseable {
        private final List<Socket> trickling = new ArrayList<>();
        private final List<Socket> idle = new ArrayList<>();
        private int lines;

        static SlowClients open(WebClient web, int trickling, int idleTcp, int idleTls) throws IOException {
            SlowClients c = new SlowClients();
            for (int i = 0; i < trickling; i++) {
                javax.net.ssl.SSLSocket s = web.rawSocket();
                s.getOutputStream().write("GET /api/v1/status HTTP/1.1\r\nHost: localhost\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                c.trickling.add(s);
            }
            for (int i = 0; i < idleTcp; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", web.port), 10_000);
                c.idle.add(s);
            }
            for (int i = 0; i < idleTls; i++) {
                c.idle.add(web.rawSocket());
            }
            return c;
        }

        /** One more header line on every trickling connection (called between requests of the fuzz). */
        void trickle() {
            lines++;
            for (Socket s : trickling) {
                try {
                    s.getOutputStream().write(("X-Slow-" + lines + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (IOException closedByServer) {
                    // counted by trickling()
                }
            }
        }

        int trickling() {
            return trickling.size();
        }

        /** Trickling connections the server has not closed (one more line still goes through). */
        int stillTrickling() {
            trickle();
            int open = 0;
            for (Socket s : trickling) {
                try {
                    s.setSoTimeout(50);
                    if (s.getInputStream().read() < 0) {
                        continue;
                    }
                    open++;
                } catch (SocketTimeoutException noAnswerYet) {
                    open++;
                } catch (IOException closed) {
                    // closed by the server
                }
            }
            return open;
        }

        /** True when the server has closed every idle connection (read sees the end, or a reset). */
        boolean idleAllClosed() {
            for (Socket s : idle) {
                try {
                    s.setSoTimeout(50);
                    if (s.getInputStream().read() >= 0) {
                        return false; // the server sent something on a connection that asked nothing
                    }
                } catch (SocketTimeoutException stillOpen) {
                    return false;
                } catch (IOException closed) {
                    // reset or TLS close: closed
                }
            }
            return true;
        }

        @Override
        public void close() {
            for (Socket s : trickling) {
                closeQuietly(s);
            }
            for (Socket s : idle) {
                closeQuietly(s);
            }
        }

        private static void closeQuietly(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
