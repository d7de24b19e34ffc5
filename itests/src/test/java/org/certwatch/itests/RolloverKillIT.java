package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, a rollover step proven by killing things: two servers of the real distribution on the fixture's real
 * PostgreSQL, 24 simulated agents (the real agent code) over mutual TLS, everything through the JSON API. Steps 1–3
 * run on A; in step 4 the agents replicate with A and receive their new key. The test lets eight replications
 * through, waits until B's API shows the computers they delivered to and the others never seen, lets the
 * agents run freely and SIGKILLs A as soon as one more replication was answered — the agents are mid-stream, some
 * replications in flight. The agents then replicate with B, which finishes the rollover (steps 4–6).
 *
 * <p>What is checked: every agent ends on exactly the certificate step 2 issued for its computer (one per computer
 * of the new CA, none issued twice), every computer READY without waiting out the 24 h, the audit names a key
 * delivery of every new certificate, more than once only for an agent whose replication the kill cut (at least
 * once: a delivery whose answer never reached the agent is sent again, the same certificate and key), each step
 * once in the audit, and the rollover's six steps done with their actors.
 */
class RolloverKillIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN_PASSWORD = "rollover-kill-admin";
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final int AGENTS = 24;
    private static final int BEFORE_KILL = 8;
    private static final int THREADS = 4;

    @Test
    void sigkillInTheMiddleOfStep4TheOtherServerFinishesTheRollover() throws Exception {
        long started = System.nanoTime();
        try (PostgresServer db = PostgresServer.start();
                CertwatchServer a = onDatabase(db, "rollover-kill-a");
                CertwatchServer b = onDatabase(db, "rollover-kill-b")) {
            a.start();
            b.start();
            for (CertwatchServer s : List.of(a, b)) {
                s.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
                s.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            }
            Path work = a.data().resolveSibling("rollover-kill");
            WebClient apiA = new WebClient(Integer.parseInt(a.env("CERTWATCH_HTTPS_PORT")), work.getParent());
            WebClient apiB = new WebClient(Integer.parseInt(b.env("CERTWATCH_HTTPS_PORT")), work.getParent());
            apiA.awaitSignIn(ADMIN, WAIT);
            apiB.awaitSignIn(ADMIN, WAIT);
            System.out.println("RolloverKillIT: two servers up in " + seconds(started) + " s");

            String token = json(apiA.send("POST", "/api/v1/enrolment-tokens", "{\"group\":\"All\",\"uses\":" + AGENTS + "}",
                    "Authorization", ADMIN), 201).get("token").asText();
            long oldCa = json(apiA.get("/api/v1/settings/server-certificate", "Authorization", ADMIN), 200)
                    .path("current").path("caId").asLong();
            assertTrue(oldCa > 0, "the server certificate's CA");
            Path agents = work.resolve("agents");
            long rollover;
            Map<Path, String> cut;
            int deliveredBeforeKill;
            try (Simulator onA = new Simulator(agents, "127.0.0.1", Integer.parseInt(a.env("CERTWATCH_AGENT_PORT")),
                    AGENTS, THREADS, Clock.systemUTC())) {
                assertEquals(List.of(), onA.enrolAll(token));
                assertAllOk(onA.round()); // the computers appear, on the old CA: step 2's targets

                JsonNode r = json(apiA.send("POST", "/api/v1/rollover", "{\"caId\":" + oldCa + "}", "Authorization", ADMIN), 201);
                rollover = r.get("id").asLong();
                for (int from = 1; from <= 2; from++) {
                    r = advance(apiA, rollover, from);
                }
                assertEquals(3, r.get("completed").asInt(), r.toString());
                assertEquals(AGENTS, r.path("computerCounts").path("NEVER_SEEN").asInt(), r.toString());

                // step 4: eight replications deliver (about) eight keys, as B, the other server, sees it
                try (GatedAgents served = new GatedAgents(onA.agents(), THREADS)) {
                    served.allow(BEFORE_KILL);
                    CertwatchServer.await(BEFORE_KILL + " replications answered", WAIT, () -> served.served() == BEFORE_KILL);
                    long keyed = onA.agents().stream().filter(x -> x.appliedPolicy() != 0).count();
                    CertwatchServer.await("B sees " + keyed + " computers with their key delivered", WAIT, () -> {
                        JsonNode counts = rolloverQuietly(apiB, rollover).path("computerCounts");
                        return counts.path("NEVER_SEEN").asInt() == AGENTS - keyed;
                    });
                    served.release();
                    served.awaitServedAfterRelease();
                    Faults.kill(a); // the agents are mid-stream: deliveries and confirmations in flight
                    served.awaitStopped();
                    cut = served.cut();
                    System.out.println("RolloverKillIT: SIGKILL of A after " + served.served() + " answered replications;"
                            + " cut: " + cut.size() + " " + cut.values());
                }
                deliveredBeforeKill = (int) onA.agents().stream().filter(x -> x.appliedPolicy() != 0).count();
            }
            System.out.println("RolloverKillIT: " + deliveredBeforeKill + " of " + AGENTS + " agents had applied their new"
                    + " key at the kill");
            assertTrue(deliveredBeforeKill >= BEFORE_KILL && deliveredBeforeKill < AGENTS,
                    "the kill landed inside step 4: " + deliveredBeforeKill + " of " + AGENTS + " agents had their new key");

            // the agents turn to B (their folders as the kill left them), which serves them to the end
            long onB = System.nanoTime();
            try (Simulator fleet = new Simulator(agents, "127.0.0.1", Integer.parseInt(b.env("CERTWATCH_AGENT_PORT")),
                    AGENTS, THREADS, Clock.systemUTC())) {
                JsonNode r = null;
                for (int round = 1; round <= 4; round++) {
                    assertAllOk(fleet.round());
                    r = json(apiB.get("/api/v1/rollover/" + rollover, "Authorization", ADMIN), 200);
                    if (r.path("computerCounts").path("READY").asInt() == AGENTS) {
                        System.out.println("RolloverKillIT: every computer READY after " + round + " round(s) on B");
                        break;
                    }
                }
                assertEquals(AGENTS, r.path("computerCounts").path("READY").asInt(), "none stuck: " + r);
                assertEquals(List.of(), list(r.get("blockers")), r.toString());
                JsonNode waited = advance(apiB, rollover, 3);
                assertTrue(waited.toString().contains("all " + AGENTS + " computer(s) applied"), waited.toString());
                int mark = b.output().size();
                advance(apiB, rollover, 4);
                Faults.awaitLogSince(b, mark, l -> l.contains("agent endpoint now presents server certificate"), WAIT);
                assertAllOk(fleet.round());
                JsonNode done = advance(apiB, rollover, 5);
                assertEquals("DONE", done.get("state").asText(), done.toString());
                assertAllOk(fleet.round());
                System.out.println("RolloverKillIT: B finished steps 4-6 in " + seconds(onB) + " s");

                long newCa = done.get("newCaId").asLong();
                assertWhole(done, oldCa, newCa);
                // one certificate per computer from the new CA, each agent on the one step 2 issued for it
                Map<String, JsonNode> issued = new HashMap<>();
                for (JsonNode c : json(apiB.get("/api/v1/certificates?ca=" + newCa + "&role=AGENT&limit=1000",
                        "Authorization", ADMIN), 200).get("items")) {
                    issued.put(c.get("fingerprint").asText().replace(":", "").toLowerCase(), c);
                }
                assertEquals(AGENTS, issued.size(), "one AGENT certificate of the new CA per computer: " + issued.keySet());
                Map<Long, Long> certificateOf = new TreeMap<>();
                for (Agent agent : fleet.agents()) {
                    JsonNode mine = issued.get(sha256(agent));
                    assertTrue(mine != null, agent.folder() + " presents a certificate that is not one of the new CA's");
                    assertEquals("rollover " + rollover + ": computer " + agent.computerId(), mine.get("description").asText());
                    certificateOf.put(agent.computerId(), mine.get("id").asLong());
                }
                assertEquals(AGENTS, Set.copyOf(certificateOf.values()).size(), "no two agents share a certificate");

                // the audit names a delivery of each; twice only where the kill cut the agent's replication
                Map<String, Long> deliveries = json(apiB.get("/api/v1/audit?action=certificate.key-delivered&limit=1000",
                        "Authorization", ADMIN), 200).get("items").findValuesAsText("target").stream()
                        .collect(Collectors.groupingBy(t -> t, TreeMap::new, Collectors.counting()));
                List<String> again = new ArrayList<>();
                for (Agent agent : fleet.agents()) {
                    long times = deliveries.getOrDefault("certificate:" + certificateOf.get(agent.computerId()), 0L);
                    assertTrue(times >= 1, "the audit names the key delivery of " + agent.folder());
                    if (times > 1) {
                        again.add(agent.folder().getFileName() + " x" + times);
                        assertTrue(cut.containsKey(agent.folder()), agent.folder() + " got its key " + times
                                + " times, though no replication of it was cut by the kill");
                    }
                }
                System.out.println("RolloverKillIT: keys delivered again (at least once): " + again);
                for (int step = 1; step <= 6; step++) {
                    List<String> outcomes = json(apiB.get("/api/v1/audit?action=rollover.step" + step + "&limit=1000",
                            "Authorization", ADMIN), 200).get("items").findValuesAsText("outcome");
                    assertEquals(1, outcomes.stream().filter(o -> o.startsWith("ok")).count(),
                            "step " + step + " done once in the audit: " + outcomes);
                }
            }
        }
        System.out.println("RolloverKillIT: " + seconds(started) + " s in all");
    }

    /** Six steps done, steps 1–3 by the admin on A and 4–6 by the admin on B; the old CA retired. */
    private static void assertWhole(JsonNode r, long oldCa, long newCa) {
        assertEquals(6, r.get("completed").asInt(), r.toString());
        assertEquals(oldCa, r.get("oldCaId").asLong());
        assertTrue(newCa != 0 && newCa != oldCa, r.toString());
        JsonNode steps = r.get("steps");
        assertEquals(6, steps.size(), r.toString());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, steps.get(i).get("step").asInt(), steps.toString());
            assertEquals("DONE", steps.get(i).get("status").asText(), steps.toString());
            assertTrue(steps.get(i).get("actor").asText().startsWith("admin from "), steps.toString());
        }
        assertEquals(AGENTS, r.path("computerCounts").path("READY").asInt(), r.toString());
        assertTrue(r.get("newServerCertificateId").asLong() != 0, r.toString());
    }

    private static JsonNode advance(WebClient api, long rollover, int from) throws Exception {
        JsonNode r = json(api.send("POST", "/api/v1/rollover/" + rollover + "/advance", "{\"from\":" + from + "}",
                "Authorization", ADMIN), 200);
        assertEquals(from + 1, r.get("completed").asInt(), r.toString());
        return r;
    }

    private static JsonNode rolloverQuietly(WebClient api, long id) {
        try {
            return JSON.readTree(api.get("/api/v1/rollover/" + id, "Authorization", ADMIN).body());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static JsonNode json(WebClient.Reply reply, int status) throws Exception {
        assertEquals(status, reply.status(), reply.body());
        return JSON.readTree(reply.body());
    }

    private static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static void assertAllOk(List<Agent.Outcome> outcomes) {
        assertEquals(List.of(), outcomes.stream().filter(o -> !o.ok()).map(Agent.Outcome::message).toList());
    }

    private static String sha256(Agent agent) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(agent.certificate().getEncoded()));
    }

    private static CertwatchServer onDatabase(PostgresServer db, String name) throws Exception {
        CertwatchServer server = db.prepareServer(name).env("CERTWATCH_ADMIN_PASSWORD", ADMIN_PASSWORD);
        WebUsers.fastPasswords(server);
        return server;
    }

    private static long seconds(long from) {
        return (System.nanoTime() - from) / 1_000_000_000;
    }
}
