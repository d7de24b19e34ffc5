package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A hot-redeployed bundle leaves no old revision behind: after traffic that makes each bundle use its
 * own classes through shared libraries (JSON bodies bound to the web bundle's records, SNMP requests,
 * notices), every redeployable bundle is replaced twice and, after a full GC, exactly one class loader
 * of each holds its component class (counted with {@code jcmd VM.classloaders}). The soak found the web
 * bundle's old revisions kept alive by Jackson's shared type cache. {@link RedeployLeakPostgresIT} runs the same on
 * the PostgreSQL backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedeployLeakIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String ADMIN_PASSWORD = "redeploy-leak-admin-secret";
    /** bundle → its component class and the log line that says it serves again ("" = none) */
    private static final Map<String, String[]> BUNDLES = new LinkedHashMap<>();

    static {
        BUNDLES.put("web", new String[] {"org.certwatch.web.internal.WebComponent", "web: listening"});
        BUNDLES.put("snmp", new String[] {"org.certwatch.snmp.internal.SnmpComponent", "SNMP agent listening"});
        BUNDLES.put("mail", new String[] {"org.certwatch.mail.internal.MailComponent", ""});
        BUNDLES.put("monitor", new String[] {"org.certwatch.monitor.internal.MonitorComponent", "expiry monitor ready"});
    }

    private CertwatchServer server;
    private WebClient web;
    private Path variants;

    /** The server, not started: on its own files here. */
    CertwatchServer prepare() throws Exception {
        return CertwatchServer.prepare("redeploy-leak");
    }

    /** The bundles redeployed (keys of BUNDLES). */
    List<String> redeployed() {
        return List.copyOf(BUNDLES.keySet());
    }

    @BeforeAll
    void start() throws Exception {
        server = prepare().env("CERTWATCH_ADMIN_PASSWORD", ADMIN_PASSWORD)
                .env("CERTWATCH_SNMP_USER", "certwatch").env("CERTWATCH_SNMP_AUTH_PASSWORD", "leak-it-auth-secret")
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", "leak-it-priv-secret").startAndAwaitReady();
        server.awaitLog(l -> l.contains("web: listening"), WAIT);
        server.awaitLog(l -> l.contains("SNMP agent listening"), WAIT);
        variants = Files.createDirectories(server.data().getParent().resolve("variants"));
        web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), server.data().getParent());
        web.awaitSignIn(admin(), WAIT);
    }

    private static String admin() {
        return "Basic " + java.util.Base64.getEncoder()
                .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Test
    void redeployedBundlesLeaveNoClassLoaderBehind() throws Exception {
        for (int round = 1; round <= 2; round++) {
            traffic();
            for (String bundle : redeployed()) {
                redeploy(bundle, round);
            }
        }
        traffic();
        long pid = server.process().pid();
        Map<String, Integer> loaders = new LinkedHashMap<>();
        // an old revision goes with the next full GC once nothing holds it; a few tries for stragglers
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            ServerMemory.jcmd(pid, "GC.run");
            String classes = ServerMemory.jcmd(pid, "VM.classloaders show-classes");
            redeployed().forEach(bundle -> loaders.put(bundle, count(classes, BUNDLES.get(bundle)[0])));
        } while (!loaders.values().stream().allMatch(n -> n == 1) && System.nanoTime() < deadline && pause());
        Map<String, Integer> one = new LinkedHashMap<>();
        redeployed().forEach(bundle -> one.put(bundle, 1));
        assertEquals(one, loaders, "class loaders holding each bundle's component class after a full GC");
    }

    /** Requests whose bodies the web bundle binds to its own records, pages, and SNMP reads. */
    private void traffic() throws Exception {
        String auth = admin();
        assertEquals(200, web.get("/api/v1/certificates?limit=5", "Authorization", auth).status());
        int unknownCa = web.send("POST", "/api/v1/rollover", "{\"caId\":999999}", "Authorization", auth,
                "Content-Type", "application/json").status();
        assertTrue(unknownCa >= 400 && unknownCa < 500, "a rollover of an unknown CA is refused: " + unknownCa);
        int badIssue = web.send("POST", "/api/v1/certificates", "{\"caId\":999999,\"role\":\"AGENT\",\"host\":\"leak.example\"}",
                "Authorization", auth, "Content-Type", "application/json").status();
        assertTrue(badIssue >= 400 && badIssue < 500, "an issue from an unknown CA is refused: " + badIssue);
        NetSnmp.Result answer = NetSnmp.get("snmpget", NetSnmp.v3("certwatch", "leak-it-auth-secret", "leak-it-priv-secret"),
                "127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT"), "SNMPv2-MIB::sysDescr.0");
        assertTrue(answer.output().contains("certwatch"), answer.output());
    }

    private void redeploy(String bundle, int round) throws Exception {
        Path jar = server.deploy().resolve("org.certwatch." + bundle + ".jar");
        String ready = BUNDLES.get(bundle)[1];
        long updatesBefore = count(server.output(), "Updating bundle org.certwatch." + bundle);
        long readyBefore = ready.isEmpty() ? 0 : count(server.output(), ready);
        Path changed = TestBundles.variant(jar, variants, bundle + "-" + round + ".jar",
                Map.of("X-Leak-Redeploy", Integer.toString(round)));
        CertwatchServer.placeAtomically(changed, jar);
        CertwatchServer.await(bundle + " updated", WAIT,
                () -> count(server.output(), "Updating bundle org.certwatch." + bundle) > updatesBefore);
        if (!ready.isEmpty()) {
            CertwatchServer.await(bundle + " serving again", WAIT, () -> count(server.output(), ready) > readyBefore);
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(2000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long count(List<String> lines, String text) {
        return lines.stream().filter(l -> l.contains(text)).count();
    }

    /** Loaders listing exactly this class (its lambdas and inner classes do not count). */
    private static int count(String classesByLoader, String className) {
        return (int) Pattern.compile("(?m)[\\s:]" + Pattern.quote(className) + "$").matcher(classesByLoader).results().count();
    }
}
