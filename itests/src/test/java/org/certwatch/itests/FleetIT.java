package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * The fleet against the real distribution: simulated agents (the real agent code, each with its own key)
 * over mutual TLS on loopback; the server driven through its own Gogo commands (test-only Gogo bridge bundle).
 */
class FleetIT {
    /** Generous: on a machine shared with other builds the endpoint has opened only minutes after the start. */
    private static final Duration WAIT = Duration.ofMinutes(4);

    @Test
    void fiftyAgentsRollOverToASecondCaAndTheServerCertificateFollows() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("fleet").env("CERTWATCH_ADMIN_PASSWORD", "admin-password-1")) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            int port = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
            assertTrue(server.gogo("certwatch:group-add All/Fleet").startsWith("created group"));
            assertTrue(server.gogo("certwatch:group-add All/Other").startsWith("created group"));
            String token = server.gogo("certwatch:enrol-token All/Fleet 50");
            assertTrue(token.startsWith("cwt1."), token);
            String lateToken = server.gogo("certwatch:enrol-token All/Other");
            Path agents = server.data().resolveSibling("agents");
            try (Simulator fleet = new Simulator(agents.resolve("fleet"), "127.0.0.1", port, 50, 8, Clock.systemUTC());
                    Simulator late = new Simulator(agents.resolve("late"), "127.0.0.1", port, 1, 1, Clock.systemUTC())) {
                assertEquals(List.of(), fleet.enrolAll(token));
                assertEquals(List.of(), late.enrolAll(lateToken));
                assertAllOk(fleet.round());
                assertAllOk(late.round());
                Map<String, String> computers = computers(server);
                assertEquals(51, computers.size(), computers.toString());
                assertEquals(50, computers.values().stream().filter(l -> l.contains("group=All/Fleet ")).count());
                assertEquals(fingerprints(fleet), lastAuthenticatedWith(computers, "All/Fleet"));

                // step 1-3: a second CA, a policy that issues each computer a certificate from it
                String ca2 = id(server.gogo("certwatch:ca-create \"CN=Fleet CA 2\""), "CA (\\d+)");
                server.awaitLog(l -> l.contains("agent endpoint now trusts 2 CAs"), WAIT);
                String policy = server.gogo("certwatch:policy-add All/Fleet AGENT ca " + ca2 + " \"1," + ca2 + "\"");
                assertTrue(policy.startsWith("created policy"), policy);
                List<Agent.Outcome> applied = fleet.round();
                assertAllOk(applied);
                assertTrue(applied.stream().allMatch(o -> o.appliedPolicy() != 0), applied.toString());
                for (Agent a : fleet.agents()) {
                    assertEquals("CN=Fleet CA 2", a.certificate().getIssuerX500Principal().getName());
                }
                // step 4: the agents authenticate with the new certificates; the server's view follows
                assertAllOk(fleet.round());
                computers = computers(server);
                assertEquals(fingerprints(fleet), lastAuthenticatedWith(computers, "All/Fleet"));
                assertEquals(50, computers.values().stream().filter(l -> l.contains(":APPLIED")).count(),
                        computers.toString());

                // step 5: the server certificate switched at run time
                String serverCert = id(server.gogo("certwatch:issue " + ca2 + " server localhost"), "certificate (\\d+)");
                assertTrue(server.gogo("certwatch:server-cert " + serverCert).startsWith("server certificate is now"));
                server.awaitLog(l -> l.contains("agent endpoint now presents server certificate " + serverCert), WAIT);
                fleet.resume(false);
                assertAllOk(fleet.round());
                Agent.Outcome refused = late.resume(false).round().get(0);
                assertFalse(refused.ok());
                assertTrue(refused.message().contains("not issued by a CA this agent trusts"), refused.message());

                // a revoked agent certificate is refused at the next replication; the others go on
                String victim = computers.values().stream().filter(l -> l.contains(" sim-00007 ")).findFirst().orElseThrow();
                String victimCert = id(victim, "certificate=(\\d+)");
                assertTrue(server.gogo("certwatch:revoke " + victimCert + " keyCompromise").startsWith("revoked"));
                List<Agent.Outcome> after = fleet.round();
                for (int i = 0; i < after.size(); i++) {
                    if (i == 6) {
                        assertFalse(after.get(i).ok(), after.get(i).message());
                        assertTrue(after.get(i).message().contains("refused"), after.get(i).message());
                    } else {
                        assertTrue(after.get(i).ok(), after.get(i).message());
                    }
                }
                assertTrue(server.logContains(l -> l.contains("agent handshake refused") && l.contains("revoked")));
            }
        }
    }

    private static void assertAllOk(List<Agent.Outcome> outcomes) {
        List<String> failed = outcomes.stream().filter(o -> !o.ok()).map(Agent.Outcome::message).toList();
        assertEquals(List.of(), failed);
    }

    /** name → the line of {@code certwatch:computers}. */
    private static Map<String, String> computers(CertwatchServer server) throws Exception {
        return server.gogo("certwatch:computers").lines().filter(l -> !l.isBlank())
                .collect(Collectors.toMap(l -> l.split(" ")[1], l -> l + " "));
    }

    private static Set<String> lastAuthenticatedWith(Map<String, String> computers, String group) {
        return computers.values().stream().filter(l -> l.contains("group=" + group + " "))
                .map(l -> id(l, "sha256=([0-9a-f]{64})")).collect(Collectors.toSet());
    }

    private static Set<String> fingerprints(Simulator sim) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        return sim.agents().stream().map(Agent::certificate).map(c -> {
            try {
                return HexFormat.of().formatHex(sha.digest(((X509Certificate) c).getEncoded()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).collect(Collectors.toSet());
    }

    private static String id(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), "no " + regex + " in: " + text);
        return m.group(1);
    }
}
