package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web bundle in the real distribution over real HTTPS (verified against the store's CA), with
 * the test-only fleet stand-in (alice in All/Berlin, bob in All/Hamburg, root in All), openssl and
 * curl as TLS/CRL peers and Python's prometheus_client as the metrics parser.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CertwatchServer server;
    private WebClient web;
    private Path work;
    private final Map<String, Long> ids = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        server = CertwatchServer.prepare("web").env("CERTWATCH_KEY_PASSWORD", "it-key-password").startAndAwaitReady();
        server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);
        server.useStandInFleet();
        CertwatchServer.placeAtomically(TestBundles.testClock(), server.deploy().resolve("testclock.jar"));
        work = Files.createDirectories(server.data().getParent().resolve("web-it"));
        web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
        CertwatchServer.await("the test users are bound", WAIT, () -> {
            try {
                return web.get("/api/v1/session", "Authorization", WebClient.basic("root")).status() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        CertwatchServer.await("the test clock runs", WAIT, () -> Files.exists(server.data().resolve("testclock.port")));
        seed("alice", "Berlin", "pc-berlin-1");
        seed("bob", "Hamburg", "pc-hamburg-1");
    }

    private void seed(String user, String city, String agent) throws Exception {
        String auth = WebClient.basic(user);
        JsonNode ca = created(web.send("POST", "/api/v1/cas", "{\"subject\":\"CN=" + city + " CA\",\"validityDays\":3650}",
                "Authorization", auth, "Content-Type", "application/json"));
        ids.put(user + ".ca", ca.get("id").asLong());
        String soon = Instant.now().plus(Duration.ofDays(20)).toString();
        JsonNode cert = created(web.send("POST", "/api/v1/certificates", "{\"caId\":" + ca.get("id").asLong()
                + ",\"role\":\"AGENT\",\"host\":\"" + agent + "\",\"notAfter\":\"" + soon + "\"}", "Authorization", auth));
        ids.put(user + ".agent", cert.get("id").asLong());
        JsonNode srv = created(web.send("POST", "/api/v1/certificates", "{\"caId\":" + ca.get("id").asLong()
                + ",\"role\":\"PROXY\",\"host\":\"proxy." + city.toLowerCase() + "\"}", "Authorization", auth));
        ids.put(user + ".proxy", srv.get("id").asLong());
    }

    private static JsonNode created(WebClient.Reply r) throws Exception {
        assertEquals(201, r.status(), r.body());
        return JSON.readTree(r.body());
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void servesTheStoresServerCertificateAndItsCrlsWithoutLogin() throws Exception {
        JsonNode servers = JSON.readTree(web.get("/api/v1/certificates?role=SERVER", "Authorization", WebClient.basic("root")).body());
        JsonNode server1 = servers.get("items").get(0);
        assertEquals("*", server1.get("host").asText());
        assertEquals(server1.get("fingerprint").asText(), web.servedFingerprint, "Jetty presents the store's server certificate");
        WebClient.Reply style = web.get("/static/style.css");
        assertTrue(style.header("strict-transport-security").contains("max-age="));

        // the CRL distribution point the store wrote into a certificate is served here, without login
        long aliceAgent = ids.get("alice.agent");
        long aliceCa = ids.get("alice.ca");
        Path pem = Files.write(work.resolve("alice-agent.pem"),
                web.get("/api/v1/certificates/" + aliceAgent + "/pem", "Authorization", WebClient.basic("alice")).bytes());
        String cdp = WebClient.run(work, "openssl", "x509", "-in", pem.toString(), "-noout", "-ext", "crlDistributionPoints");
        assertTrue(cdp.contains("/crl/" + aliceCa + ".crl"), cdp);
        Path caPem = Files.write(work.resolve("alice-ca.pem"),
                web.get("/api/v1/cas/" + aliceCa + "/pem", "Authorization", WebClient.basic("alice")).bytes());
        Path crl = work.resolve("alice.crl");
        WebClient.run(work, "curl", "-sSf", "--cacert", web.caPem.toString(), "-o", crl.toString(),
                "https://localhost:" + web.port + "/crl/" + aliceCa + ".crl");
        String verified = WebClient.run(work, "openssl", "crl", "-inform", "DER", "-in", crl.toString(), "-CAfile",
                caPem.toString(), "-noout");
        assertTrue(verified.contains("verify OK"), verified);
        assertEquals(404, web.get("/crl/9999.crl").status());
    }

    @Test
    @Order(2)
    void siblingGroupsAreIsolatedOnEveryPageAndEndpoint() throws Exception {
        isolated("alice", "bob", "pc-berlin-1", "pc-hamburg-1");
        isolated("bob", "alice", "pc-hamburg-1", "pc-berlin-1");
    }

    private void isolated(String user, String other, String ownHost, String otherHost) throws Exception {
        String auth = WebClient.basic(user);
        String[] session = web.login(user);
        for (String path : List.of("/api/v1/certificates", "/api/v1/cas", "/api/v1/computers", "/api/v1/status",
                "/api/v1/attention", "/api/v1/audit", "/metrics")) {
            String body = web.get(path, "Authorization", auth).body();
            assertFalse(body.contains(otherHost) || body.contains("proxy." + (other.equals("bob") ? "hamburg" : "berlin")),
                    user + " sees " + other + "'s objects on " + path + ": " + body);
        }
        String own = web.get("/api/v1/certificates", "Authorization", auth).body();
        assertTrue(own.contains(ownHost), own);
        assertFalse(own.contains("\"host\":\"*\""), "the root group's server certificate is outside " + user + "'s scope");
        for (String path : List.of("/", "/certificates", "/cas", "/computers", "/status", "/audit")) {
            WebClient.Reply page = web.get(path, "Cookie", session[0]);
            assertEquals(200, page.status(), path);
            assertFalse(page.body().contains(otherHost), user + " sees " + otherHost + " on " + path);
        }
        long cert = ids.get(other + ".agent");
        long ca = ids.get(other + ".ca");
        // the computer id of the stand-in fleet is its agent certificate's id
        for (String path : List.of("/api/v1/certificates/" + cert, "/api/v1/certificates/" + cert + "/pem",
                "/api/v1/cas/" + ca, "/api/v1/cas/" + ca + "/pem", "/api/v1/computers/" + cert)) {
            WebClient.Reply r = web.get(path, "Authorization", auth);
            assertEquals(404, r.status(), path);
            assertEquals("application/problem+json", r.header("content-type"));
        }
        for (String path : List.of("/certificates/" + cert, "/cas/" + ca, "/computers/" + cert, "/certificates/" + cert + "/pem")) {
            assertEquals(404, web.get(path, "Cookie", session[0]).status(), path);
        }
        WebClient.Reply revoke = web.send("POST", "/api/v1/certificates/" + cert + "/revoke", "{\"reason\":\"keyCompromise\"}",
                "Authorization", auth);
        assertEquals(404, revoke.status());
        JsonNode still = JSON.readTree(web.get("/api/v1/certificates/" + cert, "Authorization", WebClient.basic(other)).body());
        assertTrue(still.get("revokedAt").isNull(), "nothing changed");
        assertEquals(501, web.get("/api/v1/notifications", "Authorization", auth).status());
    }

    @Test
    @Order(3)
    void badInputGetsAProblemAndChangesNothing() throws Exception {
        String alice = WebClient.basic("alice");
        int before = JSON.readTree(web.get("/api/v1/certificates", "Authorization", alice).body()).get("total").asInt();
        long ca = ids.get("alice.ca");
        Map<String, String> bodies = Map.of(
                "{\"caId\":" + ca + ",", "malformed JSON",
                "{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"x\",\"colour\":\"red\"}", "unknown field 'colour'",
                "{\"caId\":\"first\",\"role\":\"AGENT\",\"host\":\"x\"}", "field 'caId'",
                "{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"x\",\"notAfter\":\"2200-01-01T00:00:00Z\"}", "not issued");
        for (var e : bodies.entrySet()) {
            problem(web.send("POST", "/api/v1/certificates", e.getKey(), "Authorization", alice), 400, e.getValue());
        }
        problem(web.send("POST", "/api/v1/certificates", "{\"caId\":999,\"role\":\"AGENT\",\"host\":\"x\"}",
                "Authorization", alice), 404, "CA 999 not found");
        problem(web.send("POST", "/api/v1/cas", "{\"description\":\"" + "x".repeat((1 << 20) + 1) + "\"}",
                "Authorization", alice), 413, "1 MiB");
        problem(web.get("/api/v1/certificates/123456", "Authorization", alice), 404, "not found");
        problem(web.get("/api/v1/certificates?offset=100000", "Authorization", alice), 400, "past the end");
        problem(web.get("/api/v1/certificates?limit=5000", "Authorization", alice), 400, "limit");
        problem(web.get("/api/v1/certificates/" + ids.get("alice.agent") + "/pem?name=..%2F..%2Fetc%2Fpasswd",
                "Authorization", alice), 400, "download name");
        // a traversing raw path (curl --path-as-is) never reaches a file: Jetty refuses or normalises it
        String traversal = WebClient.run(work, "curl", "-s", "--path-as-is", "--cacert", web.caPem.toString(),
                "-o", "/dev/null", "-w", "%{http_code}", "https://localhost:" + web.port + "/api/v1/%2e%2e/%2e%2e/etc/passwd");
        assertTrue(traversal.equals("400") || traversal.equals("404") || traversal.equals("303"), traversal);

        String[] session = web.login("alice");
        assertTrue(session[2].contains("Secure") && session[2].contains("HttpOnly") && session[2].contains("SameSite=Strict"),
                session[2]);
        long agent = ids.get("alice.agent");
        problem(web.send("POST", "/api/v1/certificates/" + agent + "/revoke", "{\"reason\":\"superseded\"}",
                "Cookie", session[0]), 403, "missing CSRF token");
        problem(web.send("POST", "/api/v1/certificates/" + agent + "/revoke", "{\"reason\":\"superseded\"}",
                "Cookie", session[0], "X-CSRF-Token", "not-the-token"), 403, "wrong CSRF token");
        assertEquals(403, web.send("POST", "/certificates/" + agent + "/revoke", "reason=superseded",
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded").status());
        JsonNode cert = JSON.readTree(web.get("/api/v1/certificates/" + agent, "Authorization", alice).body());
        assertTrue(cert.get("revokedAt").isNull(), "still unrevoked");
        assertEquals(before, JSON.readTree(web.get("/api/v1/certificates", "Authorization", alice).body()).get("total").asInt());
        assertTrue(server.output().stream().noneMatch(l -> l.contains("request ") && l.contains(" failed")),
                "no request ended in an internal error");
    }

    private static void problem(WebClient.Reply r, int status, String titlePart) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"), r.body());
        assertTrue(r.body().contains(titlePart), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
    }

    @Test
    @Order(4)
    void metricsParseAndAgreeWithTheStore() throws Exception {
        assertEquals(401, web.get("/metrics").status());
        Path text = Files.write(work.resolve("metrics.txt"), web.get("/metrics", "Authorization", WebClient.basic("root")).bytes());
        // Python's prometheus_client text parser; prints one sample per line: name id value
        String parsed = WebClient.run(work, "/usr/bin/python3", "-c", String.join("\n",
                "import sys",
                "from prometheus_client.parser import text_string_to_metric_families",
                "for f in text_string_to_metric_families(open(sys.argv[1]).read()):",
                "    for s in f.samples:",
                "        print(s.name, s.labels.get('id', '-'), s.labels.get('serial_number', '-'), repr(s.value))"),
                text.toString());
        Map<String, Double> notAfter = new HashMap<>();
        Map<String, Double> expired = new HashMap<>();
        for (String line : parsed.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f[0].equals("x509_cert_not_after")) {
                notAfter.put(f[1], Double.parseDouble(f[3]));
            } else if (f[0].equals("x509_cert_expired")) {
                expired.put(f[1], Double.parseDouble(f[3]));
            }
        }
        JsonNode all = JSON.readTree(web.get("/api/v1/certificates?limit=1000", "Authorization", WebClient.basic("root")).body());
        assertEquals(all.get("total").asInt(), notAfter.size(), parsed);
        for (JsonNode c : all.get("items")) {
            String id = c.get("id").asText();
            assertEquals((double) Instant.parse(c.get("notAfter").asText()).getEpochSecond(), notAfter.get(id), "cert " + id);
            assertEquals(c.get("status").asText().equals("EXPIRED") ? 1.0 : 0.0, expired.get(id));
        }
        assertTrue(parsed.contains("certwatch_web_logins_total"), parsed);
    }

    @Test
    @Order(5)
    void pagingWalksTheWholeListOnce() throws Exception {
        String root = WebClient.basic("root");
        int total = JSON.readTree(web.get("/api/v1/certificates", "Authorization", root).body()).get("total").asInt();
        Set<Long> seen = new HashSet<>();
        List<Long> order = new ArrayList<>();
        for (int offset = 0; offset < total; offset += 2) {
            JsonNode page = JSON.readTree(web.get("/api/v1/certificates?limit=2&offset=" + offset, "Authorization", root).body());
            page.get("items").forEach(i -> {
                seen.add(i.get("id").asLong());
                order.add(i.get("id").asLong());
            });
        }
        assertEquals(total, seen.size());
        assertEquals(total, order.size());
        assertEquals(400, web.get("/api/v1/certificates?limit=2&offset=" + (total + 2), "Authorization", root).status());
        JsonNode expiring = JSON.readTree(web.get("/api/v1/certificates?status=EXPIRING&role=AGENT", "Authorization", root).body());
        assertEquals(2, expiring.get("total").asInt(), expiring.toString());
    }

    @Test
    @Order(6)
    void anIdleSessionExpiresWhenTimeMoves() throws Exception {
        String[] session = web.login("alice");
        assertEquals(200, web.get("/api/v1/session", "Cookie", session[0]).status());
        assertTrue(server.clock("advance PT31M").startsWith("ok"));
        try {
            problem(web.get("/api/v1/session", "Cookie", session[0]), 401, "log in");
            WebClient.Reply page = web.get("/certificates", "Cookie", session[0]);
            assertEquals(303, page.status());
            assertTrue(page.header("location").startsWith("/login"));
        } finally {
            server.clock("set PT0S");
        }
        String audit = web.get("/api/v1/audit?action=login", "Authorization", WebClient.basic("root")).body();
        assertTrue(audit.contains("\"actor\":\"alice\"") && audit.contains("\"from\":\"127.0.0.1\""), audit);
    }

    @Test
    @Order(7)
    void theWebBundleCanBeRedeployedWhileTheRestKeepsWorking() throws Exception {
        Path jar = server.deploy().resolve("org.certwatch.web.jar");
        long listening = server.output().stream().filter(l -> l.contains("web: listening")).count();
        Path changed = TestBundles.variant(jar, work, "web.jar", Map.of("X-Redeployed", "1"));
        CertwatchServer.placeAtomically(changed, jar);
        server.awaitLog(l -> l.contains("web: stopped"), WAIT);
        CertwatchServer.await("web listens again", WAIT,
                () -> server.output().stream().filter(l -> l.contains("web: listening")).count() > listening);
        JsonNode cas = JSON.readTree(web.get("/api/v1/cas", "Authorization", WebClient.basic("alice")).body());
        assertEquals(1, cas.get("total").asInt());
        assertNull(null);
    }
}
