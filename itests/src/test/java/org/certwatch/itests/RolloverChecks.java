package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
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

/**
 * A rollover driven through the JSON API as an admin, and the checks of a rollover that a SIGKILL interrupted in
 * step 4 ({@link RolloverKillIT}, {@link FleetCrashIT}): the steps 4–6 finished, and a whole end state.
 */
final class RolloverChecks {
    static final String ADMIN_PASSWORD = "rollover-kill-admin";
    static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(2);

    private RolloverChecks() {
    }

    /** A rollover of the server certificate's CA taken to step 3 (the policies that deliver the new keys). */
    static long startToStep3(WebClient api, int agents) throws Exception {
        JsonNode r = json(api.send("POST", "/api/v1/rollover", "{\"caId\":" + oldCa(api) + "}", "Authorization", ADMIN), 201);
        long id = r.get("id").asLong();
        for (int from = 1; from <= 2; from++) {
            r = advance(api, id, from);
        }
        assertEquals(agents, r.path("computerCounts").path("NEVER_SEEN").asInt(), r.toString());
        return id;
    }

    static long oldCa(WebClient api) throws Exception {
        long ca = json(api.get("/api/v1/settings/server-certificate", "Authorization", ADMIN), 200)
                .path("current").path("caId").asLong();
        assertTrue(ca > 0, "the server certificate's CA");
        return ca;
    }

    static String enrolmentToken(WebClient api, int uses) throws Exception {
        return json(api.send("POST", "/api/v1/enrolment-tokens", "{\"group\":\"All\",\"uses\":" + uses + "}",
                "Authorization", ADMIN), 201).get("token").asText();
    }

    /**
     * Lets {@code before} replications deliver keys, waits until {@code observer}'s API shows the computers they
     * reached (the rest never seen), lets the agents run and SIGKILLs {@code victim} once one more replication was
     * answered. Answers the agents whose replication the kill cut (their folder and what they were told).
     */
    static Map<Path, String> killInStep4(CertwatchServer victim, WebClient observer, long rollover, Simulator fleet,
            int before, int threads) throws Exception {
        int agents = fleet.agents().size();
        try (GatedAgents served = new GatedAgents(fleet.agents(), threads)) {
            served.allow(before);
            CertwatchServer.await(before + " replications answered", WAIT, () -> served.served() == before);
            long keyed = fleet.agents().stream().filter(x -> x.appliedPolicy() != 0).count();
            CertwatchServer.await(keyed + " computers with their key delivered", WAIT,
                    () -> rolloverQuietly(observer, rollover).path("computerCounts").path("NEVER_SEEN").asInt()
                            == agents - keyed);
            served.release();
            served.awaitServedAfterRelease();
            Faults.kill(victim); // the agents are mid-stream: deliveries and confirmations in flight
            served.awaitStopped();
            Map<Path, String> cut = served.cut();
            long applied = fleet.agents().stream().filter(x -> x.appliedPolicy() != 0).count();
            System.out.println("SIGKILL in step 4 after " + served.served() + " answered replications, " + applied + " of "
                    + agents + " agents on their new key; replications cut: " + cut.size() + " " + cut.values());
            assertTrue(applied >= keyed && applied < agents, "the kill landed inside step 4: " + applied + " of "
                    + agents + " agents had their new key");
            return cut;
        }
    }

    /**
     * The agents replicate with {@code server} until every computer is READY (four rounds at most), then steps 4, 5
     * and 6 are advanced there, the agents replicating after the switch; the rollover as step 6 answered it.
     */
    static JsonNode finish(CertwatchServer server, WebClient api, long rollover, Simulator fleet) throws Exception {
        int agents = fleet.agents().size();
        JsonNode r = null;
        for (int round = 1; round <= 4; round++) {
            assertAllOk(fleet.round());
            r = json(api.get("/api/v1/rollover/" + rollover, "Authorization", ADMIN), 200);
            if (r.path("computerCounts").path("READY").asInt() == agents) {
                System.out.println("every computer READY after " + round + " round(s)");
                break;
            }
        }
        assertEquals(agents, r.path("computerCounts").path("READY").asInt(), "none stuck: " + r);
        assertEquals(0, r.get("blockers").size(), r.toString());
        JsonNode waited = advance(api, rollover, 3);
        assertTrue(waited.toString().contains("all " + agents + " computer(s) applied"), waited.toString());
        int mark = server.output().size();
        advance(api, rollover, 4);
        Faults.awaitLogSince(server, mark, l -> l.contains("agent endpoint now presents server certificate"), WAIT);
        assertAllOk(fleet.round());
        JsonNode done = advance(api, rollover, 5);
        assertEquals("DONE", done.get("state").asText(), done.toString());
        assertAllOk(fleet.round());
        return done;
    }

    /**
     * The rollover is whole and the fleet on the new CA: six steps done by the admin; every agent on the certificate
     * step 2 issued for its computer, one per computer; the audit names a key delivery of each, more than once only
     * for an agent in {@code cut} (at least once: a delivery whose answer the kill lost is sent again, the same
     * certificate and key); every step done once in the audit.
     */
    static void assertWhole(WebClient api, JsonNode done, long oldCa, Simulator fleet, Map<Path, String> cut)
            throws Exception {
        int agents = fleet.agents().size();
        long rollover = done.get("id").asLong();
        long newCa = done.get("newCaId").asLong();
        assertEquals(6, done.get("completed").asInt(), done.toString());
        assertEquals(oldCa, done.get("oldCaId").asLong());
        assertTrue(newCa != 0 && newCa != oldCa, done.toString());
        JsonNode steps = done.get("steps");
        assertEquals(6, steps.size(), done.toString());
        for (int i = 0; i < 6; i++) {
            assertEquals(i + 1, steps.get(i).get("step").asInt(), steps.toString());
            assertEquals("DONE", steps.get(i).get("status").asText(), steps.toString());
            assertTrue(steps.get(i).get("actor").asText().startsWith("admin from "), steps.toString());
        }
        assertEquals(agents, done.path("computerCounts").path("READY").asInt(), done.toString());
        assertTrue(done.get("newServerCertificateId").asLong() != 0, done.toString());

        Map<String, JsonNode> issued = new HashMap<>();
        for (JsonNode c : json(api.get("/api/v1/certificates?ca=" + newCa + "&role=AGENT&limit=1000",
                "Authorization", ADMIN), 200).get("items")) {
            issued.put(c.get("fingerprint").asText().replace(":", "").toLowerCase(), c);
        }
        assertEquals(agents, issued.size(), "one AGENT certificate of the new CA per computer: " + issued.keySet());
        Map<Long, Long> certificateOf = new TreeMap<>();
        for (Agent agent : fleet.agents()) {
            JsonNode mine = issued.get(sha256(agent));
            assertTrue(mine != null, agent.folder() + " presents a certificate that is not one of the new CA's");
            assertEquals("rollover " + rollover + ": computer " + agent.computerId(), mine.get("description").asText());
            certificateOf.put(agent.computerId(), mine.get("id").asLong());
        }
        assertEquals(agents, Set.copyOf(certificateOf.values()).size(), "no two agents share a certificate");

        Map<String, Long> deliveries = json(api.get("/api/v1/audit?action=certificate.key-delivered&limit=1000",
                "Authorization", ADMIN), 200).get("items").findValuesAsText("target").stream()
                .collect(Collectors.groupingBy(t -> t, TreeMap::new, Collectors.counting()));
        List<String> again = new ArrayList<>();
        for (Agent agent : fleet.agents()) {
            long times = deliveries.getOrDefault("certificate:" + certificateOf.get(agent.computerId()), 0L);
            assertTrue(times >= 1, "the audit names the key delivery of " + agent.folder());
            if (times > 1) {
                again.add(agent.folder().getFileName() + " x" + times);
                assertTrue(cut.containsKey(agent.folder()), agent.folder() + " got its key " + times
                        + " times, though the kill cut no replication of it");
            }
        }
        System.out.println("keys delivered again (at least once): " + again);
        for (int step = 1; step <= 6; step++) {
            List<String> outcomes = json(api.get("/api/v1/audit?action=rollover.step" + step + "&limit=1000",
                    "Authorization", ADMIN), 200).get("items").findValuesAsText("outcome");
            assertEquals(1, outcomes.stream().filter(o -> o.startsWith("ok")).count(),
                    "step " + step + " done once in the audit: " + outcomes);
        }
    }

    static JsonNode advance(WebClient api, long rollover, int from) throws Exception {
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

    static JsonNode json(WebClient.Reply reply, int status) throws Exception {
        assertEquals(status, reply.status(), reply.body());
        return JSON.readTree(reply.body());
    }

    static void assertAllOk(List<Agent.Outcome> outcomes) {
        assertEquals(List.of(), outcomes.stream().filter(o -> !o.ok()).map(Agent.Outcome::message).toList());
    }

    private static String sha256(Agent agent) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(agent.certificate().getEncoded()));
    }
}
