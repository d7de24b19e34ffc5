package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * A computer's status follows its agent certificate in the real distribution with the real fleet:
 * a simulated agent enrols (its certificate is capped by a 60-day CA, so inside the 90-day warning
 * window: "certificate expires soon"), the test clock moves past notAfter ("certificate expired")
 * and back, then a policy from a second CA replaces the certificate and the computer returns to OK
 * once the agent authenticates with the replacement.
 */
class ComputerStatusIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private static String ctl(CertwatchServer server, String command) {
        String answer = server.probe("org.certwatch.monitorctl", command).orElse("error no monitorctl");
        return answer.startsWith("ok") ? answer.substring(2).trim() : "";
    }

    /** Waits until the only computer's status line matches and returns it. */
    private static String awaitComputer(CertwatchServer server, String what, String regex) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            CertwatchServer.await(what, WAIT, () -> {
                last.set(ctl(server, "computers"));
                return last.get().matches(regex);
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last: " + last.get(), e);
        }
        return last.get();
    }

    private static void assertAllOk(List<Agent.Outcome> outcomes) {
        assertEquals(List.of(), outcomes.stream().filter(o -> !o.ok()).map(Agent.Outcome::message).toList());
    }

    private static String id(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }

    @Test
    void agentCertificateDrivesTheComputerStatusAndAReplacementReturnsItToOk() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("computer-status")
                .env("CERTWATCH_ADMIN_PASSWORD", "admin-password-1")) {
            Files.writeString(server.etc().resolve("org.certwatch.store.cfg"), "ca.validity.days=60\n");
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            CertwatchServer.placeAtomically(TestBundles.testClock(), server.deploy().resolve("org.certwatch.testclock.jar"));
            CertwatchServer.placeAtomically(TestBundles.monitorControl(),
                    server.deploy().resolve("org.certwatch.monitorctl.jar"));
            CertwatchServer.await("test clock", WAIT, () -> Files.exists(server.data().resolve("testclock.port")));
            int port = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
            assertTrue(server.gogo("certwatch:group-add All/Fleet").startsWith("created group"));
            String token = server.gogo("certwatch:enrol-token All/Fleet 1");
            Path agents = server.data().resolveSibling("agents");
            try (Simulator sim = new Simulator(agents, "127.0.0.1", port, 1, 1, Clock.systemUTC())) {
                assertEquals(List.of(), sim.enrolAll(token));
                assertAllOk(sim.round());
                String warning = awaitComputer(server, "warning after enrolment",
                        "\\d+:(\\d+):WARNING:\\1:(59|60):certificate_expires_soon");
                String first = id(warning, "^\\d+:(\\d+):");

                assertTrue(server.clock("set P61D").startsWith("ok"));
                awaitComputer(server, "error once expired", "\\d+:" + first + ":ERROR:" + first + ":-\\d+:certificate_expired");
                assertTrue(server.clock("set PT0S").startsWith("ok"));
                // a running agent keeps replicating: without it, three intervals on the computer is SILENT
                assertAllOk(sim.round());
                awaitComputer(server, "warning again", "\\d+:" + first + ":WARNING:" + first + ":(59|60):.*");

                String ca2 = id(server.gogo("certwatch:ca-create \"CN=Fleet CA 2\" 3650"), "CA (\\d+)");
                server.awaitLog(l -> l.contains("agent endpoint now trusts 2 CAs"), WAIT);
                String policy = server.gogo("certwatch:policy-add All/Fleet AGENT ca " + ca2 + " \"1," + ca2 + "\"");
                assertTrue(policy.startsWith("created policy"), policy);
                assertAllOk(sim.round()); // the agent receives the replacement
                assertAllOk(sim.round()); // and authenticates with it
                String ok = awaitComputer(server, "OK with the replacement", "\\d+:(\\d+):OK:\\1:7\\d\\d:OK");
                assertNotEquals(first, id(ok, "^\\d+:(\\d+):"));
            }
        }
    }
}
