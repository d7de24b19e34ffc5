package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * The six-step rollover end to end: the real distribution, 200 simulated agents (the real agent code)
 * over mutual TLS, the server driven through its Gogo commands, time moved by the test clock. The
 * first rollover walks every gate with a restart after each step; the second waits out the 24 h, is
 * SIGKILLed during step 5 and forces step 6 over three stragglers.
 */
class RolloverIT {
    /** Generous: on a machine shared with other builds the endpoint has opened only minutes after the start. */
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final int AGENTS = 200;

    @Test
    void twoHundredAgentsRollOverTwiceThroughEveryGate() throws Exception {
        long seed = Long.getLong("rollover.seed", System.nanoTime());
        System.out.println("RolloverIT seed " + seed + " (-Drollover.seed=" + seed + " repeats the choice of offline agents)");
        Random random = new Random(seed);
        try (CertwatchServer server = CertwatchServer.prepare("rollover").env("CERTWATCH_ADMIN_PASSWORD", "admin-password-1")) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            CertwatchServer.placeAtomically(TestBundles.testClock(), server.deploy().resolve("org.certwatch.testclock.jar"));
            CertwatchServer.await("test clock", WAIT, () -> Files.exists(server.data().resolve("testclock.port")));
            int port = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
            assertTrue(server.gogo("certwatch:group-add All/Fleet").startsWith("created group"));
            String token = server.gogo("certwatch:enrol-token All/Fleet " + AGENTS);
            long oldCa = Long.parseLong(id(server.gogo("certwatch:server-cert"), "ca=(\\d+)"));
            AgentClock agentClock = new AgentClock();
            Path agentDir = server.data().resolveSibling("agents");
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try (Simulator fleet = new Simulator(agentDir.resolve("fleet"), "127.0.0.1", port, AGENTS, 8, agentClock)) {
                fleet.resume(false);
                assertEquals(List.of(), fleet.enrolAll(token));
                List<Agent> all = fleet.agents();
                assertAllOk(round(pool, all));
                // an agent folder as it is now: the old certificate, to present after step 6
                Path oldIdentity = agentDir.resolve("old-identity");
                copy(all.get(0).folder(), oldIdentity);

                // ---------------------------------------------------------------- rollover 1
                List<Agent> shuffled = new ArrayList<>(all);
                Collections.shuffle(shuffled, random);
                List<Agent> offline = shuffled.subList(0, 10);
                List<Agent> online = shuffled.subList(10, AGENTS);
                Set<String> offlineNames = offline.stream().map(RolloverIT::name).collect(Collectors.toCollection(TreeSet::new));

                String started = server.gogo("certwatch:rollover-start " + oldCa);
                assertTrue(started.startsWith("rollover 1 "), started);
                assertTrue(started.contains("completed=1"), started);
                long newCa = Long.parseLong(id(started, "CA " + oldCa + " -> (\\d+)"));
                server.awaitLog(l -> l.contains("agent endpoint now trusts 2 CAs"), WAIT);
                restartAndExpect(server, 1, 1);
                assertTrue(server.gogo("certwatch:rollover-advance 1").contains("completed=2"));
                restartAndExpect(server, 1, 2);
                // step 3 by two admins pressing "advance" on the same step at once: one step, the other told where it is
                WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), agentDir);
                String admin = "Basic " + java.util.Base64.getEncoder()
                        .encodeToString("admin:admin-password-1".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                List<Future<WebClient.Reply>> clicks = new ArrayList<>();
                java.util.concurrent.CountDownLatch together = new java.util.concurrent.CountDownLatch(1);
                for (int i = 0; i < 2; i++) {
                    clicks.add(pool.submit(() -> {
                        together.await();
                        return web.send("POST", "/api/v1/rollover/1/advance", "{\"from\":2}", "Authorization", admin);
                    }));
                }
                together.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<WebClient.Reply> click : clicks) {
                    WebClient.Reply reply = click.get(60, java.util.concurrent.TimeUnit.SECONDS);
                    statuses.add(reply.status());
                    assertTrue(reply.status() == 200 ? reply.body().contains("\"completed\":3")
                            : reply.body().contains("no longer after step 2: it is after step 3"), reply.body());
                }
                assertEquals(List.of(200, 409), statuses.stream().sorted().toList());
                restartAndExpect(server, 1, 3);

                // step 4: the 190 online agents receive (1st) and confirm (2nd replication); 10 stay offline
                assertAllOk(round(pool, online));
                assertAllOk(round(pool, online));
                String blocked = server.gogo("certwatch:rollover-advance 1");
                assertTrue(blocked.startsWith("refused: 10 computer(s) have not applied"), blocked);
                assertEquals(offlineNames, names(blocked));
                String status = server.gogo("certwatch:rollover 1");
                assertTrue(status.contains("ready=190 waiting=0 never-seen=10"), status);
                assertTrue(status.contains("step 4 BLOCKED"), status);
                // the JSON API shows the same, and refuses the step with 409 naming the ten
                WebClient.Reply json = web.get("/api/v1/rollover/1", "Authorization", admin);
                assertEquals(200, json.status(), json.body());
                assertTrue(json.body().contains("\"NEVER_SEEN\":10") && json.body().contains("\"READY\":190"), json.body());
                assertEquals(offlineNames, names(json.body().substring(json.body().indexOf("\"blockers\""),
                        json.body().indexOf("\"steps\""))));
                WebClient.Reply conflict = web.send("POST", "/api/v1/rollover/1/advance", "", "Authorization", admin);
                assertEquals(409, conflict.status(), conflict.body());
                assertEquals(offlineNames, names(conflict.body()));
                assertTrue(server.gogo("certwatch:rollover-early 1").startsWith("asked 10 computers"));
                List<Agent.Outcome> back = round(pool, offline);
                assertAllOk(back);
                assertTrue(back.stream().allMatch(o -> o.interval() == 1), "early replication: interval 1 s");
                assertAllOk(round(pool, offline));
                assertTrue(server.gogo("certwatch:rollover-advance 1").contains("completed=4"));
                restartAndExpect(server, 1, 4);

                // step 5: the server certificate switches live; every agent authenticates with its new certificate
                int before = server.output().size();
                String switched = server.gogo("certwatch:rollover-advance 1");
                assertTrue(switched.contains("completed=5"), switched);
                awaitNew(server, before, l -> l.contains("agent endpoint now presents server certificate"));
                assertAllOk(round(pool, all));
                for (Agent a : all) {
                    assertTrue(a.certificate().getIssuerX500Principal().getName().contains("rollover 1"),
                            a.certificate().getIssuerX500Principal().getName());
                }
                Map<String, String> computers = computers(server);
                for (Agent a : all) {
                    assertTrue(computers.get(name(a)).contains("sha256=" + sha256(a.certificate()) + " "), name(a));
                }
                restartAndExpect(server, 1, 5);

                // step 6: old certificates revoked (in the CRL), old CA deleted, an old certificate refused
                String done = server.gogo("certwatch:rollover-advance 1");
                assertTrue(done.contains("DONE completed=6"), done);
                restartAndExpect(server, 1, 6);
                String cas = server.gogo("certwatch:ca-list");
                assertTrue(cas.contains("CA " + oldCa + " DELETED"), cas);
                Path crlFile = agentDir.resolve("old.crl");
                assertTrue(server.gogo("certwatch:export ca:" + oldCa + " crl " + crlFile).length() > 0);
                X509CRL crl = (X509CRL) CertificateFactory.getInstance("X.509")
                        .generateCRL(new ByteArrayInputStream(Files.readAllBytes(crlFile)));
                Agent old = new Agent(oldIdentity, "127.0.0.1", port, name(all.get(0)), agentClock).resume(false);
                assertTrue(crl.isRevoked(old.certificate()), "the old agent certificate is in the old CA's CRL");
                assertTrue(crl.getRevokedCertificates().size() >= AGENTS + 1, "200 agents and the server");
                // give the old identity the new CA to trust, so the refusal is the server's, not the agent's
                Files.copy(all.get(1).folder().resolve(trustFile(all.get(1).folder())),
                        oldIdentity.resolve(trustFile(oldIdentity)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                old = new Agent(oldIdentity, "127.0.0.1", port, name(all.get(0)), agentClock).resume(false);
                before = server.output().size();
                Agent.Outcome refused = old.replicate();
                assertFalse(refused.ok(), refused.message());
                assertTrue(refused.message().contains("the server refused this agent's certificate"), refused.message());
                awaitNew(server, before, l -> l.contains("agent handshake refused") && l.contains("trust"));

                // ---------------------------------------------------------------- rollover 2 (24 h, SIGKILL, forced)
                assertTrue(server.gogo("certwatch:rollover-start " + newCa).contains("completed=1"));
                assertTrue(server.gogo("certwatch:rollover-advance 2").contains("completed=2"));
                assertTrue(server.gogo("certwatch:rollover-advance 2").contains("completed=3"));
                List<Agent> stragglers = shuffled.subList(AGENTS - 3, AGENTS);
                List<Agent> punctual = shuffled.subList(0, AGENTS - 3);
                assertAllOk(round(pool, punctual));
                assertAllOk(round(pool, punctual));
                assertTrue(server.gogo("certwatch:rollover-advance 2").startsWith("refused: 3 computer(s)"));
                // 25 hours later the wait is over: step 4 proceeds without the three
                assertTrue(server.clock("advance PT25H").startsWith("ok"));
                agentClock.offset = Duration.ofHours(25);
                Files.writeString(server.data().resolve("testclock.initial-offset"), "PT25H");
                String waited = server.gogo("certwatch:rollover-advance 2");
                assertTrue(waited.contains("completed=4"), waited);
                assertTrue(waited.contains("the wait ended"), waited);
                // step 5 is acknowledged, then the server is killed (SIGKILL): on restart it is still done
                before = server.output().size();
                assertTrue(server.gogo("certwatch:rollover-advance 2").contains("completed=5"));
                server.process().toHandle().destroyForcibly();
                server.process().waitFor();
                start(server);
                String resumed = server.awaitGogo("certwatch:rollover 2", WAIT);
                assertTrue(resumed.contains("completed=5"), resumed);
                long newServer = Long.parseLong(id(server.gogo("certwatch:server-cert"), "^(\\d+) "));
                assertTrue(resumed.contains("presents certificate " + newServer), resumed);
                assertAllOk(round(pool, punctual));

                String refusedSix = server.gogo("certwatch:rollover-advance 2");
                assertTrue(refusedSix.startsWith("refused: 3 computer(s) last authenticated with a certificate of the old CA"),
                        refusedSix);
                assertEquals(stragglers.stream().map(RolloverIT::name).collect(Collectors.toCollection(TreeSet::new)),
                        names(refusedSix));
                assertTrue(server.gogo("certwatch:rollover-force 2").startsWith("refused: forcing step 6 needs a reason"));
                String forced = server.gogo("certwatch:rollover-force 2 \"three lab machines are being scrapped\"");
                assertTrue(forced.contains("DONE completed=6"), forced);
                assertTrue(forced.contains("forced by console: three lab machines are being scrapped"), forced);
                for (Agent.Outcome o : round(pool, stragglers)) {
                    assertFalse(o.ok(), o.message());
                    assertTrue(o.message().contains("not issued by a CA this agent trusts")
                            && o.message().contains("enrol the agent again"), o.message());
                }
                assertAllOk(round(pool, punctual));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** SIGTERM, start again on the same data folder, and check the rollover is where it was. */
    private static void restartAndExpect(CertwatchServer server, int rollover, int completed) throws Exception {
        assertEquals(0, server.stop(Duration.ofSeconds(60)));
        start(server);
        String status = server.awaitGogo("certwatch:rollover " + rollover, WAIT);
        assertTrue(status.contains("completed=" + completed), status);
    }

    private static void start(CertwatchServer server) throws Exception {
        Files.deleteIfExists(server.data().resolve("gogo.port"));
        int before = server.output().size();
        server.start();
        awaitNew(server, before, l -> l.contains("certwatch ready"));
        awaitNew(server, before, l -> l.contains("agent endpoint listening"));
    }

    /** A log line written after line {@code from} (the output keeps the lines of earlier runs). */
    private static String awaitNew(CertwatchServer server, int from, Predicate<String> matcher) {
        String[] found = new String[1];
        CertwatchServer.await("log line after " + from, WAIT, () -> {
            List<String> lines = server.output();
            for (int i = from; i < lines.size(); i++) {
                if (matcher.test(lines.get(i))) {
                    found[0] = lines.get(i);
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static List<Agent.Outcome> round(ExecutorService pool, List<Agent> agents) throws Exception {
        List<Future<Agent.Outcome>> futures = new ArrayList<>();
        for (Agent a : agents) {
            futures.add(pool.submit(a::replicate));
        }
        List<Agent.Outcome> out = new ArrayList<>();
        for (Future<Agent.Outcome> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private static void assertAllOk(List<Agent.Outcome> outcomes) {
        assertEquals(List.of(), outcomes.stream().filter(o -> !o.ok()).map(Agent.Outcome::message).toList());
    }

    private static String name(Agent a) {
        // the simulator's agent-00001 replicates as host sim-00001
        return "sim-" + a.folder().getFileName().toString().substring("agent-".length());
    }

    private static Set<String> names(String text) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("sim-\\d{5}").matcher(text);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Map<String, String> computers(CertwatchServer server) throws Exception {
        return server.gogo("certwatch:computers").lines().filter(l -> !l.isBlank())
                .collect(Collectors.toMap(l -> l.split(" ")[1], l -> l + " "));
    }

    private static String trustFile(Path folder) throws Exception {
        return id(Files.readString(folder.resolve("state.json")), "\"trust\"\\s*:\\s*\"([^\"]+)\"");
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static String sha256(X509Certificate c) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    private static String id(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertTrue(m.find(), "no " + regex + " in: " + text);
        return m.group(1);
    }

    /** The agents' clock follows the server's test clock (the server refuses agents whose clock is off). */
    static final class AgentClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }
}
