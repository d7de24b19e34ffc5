package org.certwatch.itests;

import static org.certwatch.itests.RolloverChecks.assertAllOk;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, a rollover step proven by killing things: two servers of the real distribution on the fixture's real
 * PostgreSQL, 24 simulated agents (the real agent code) over mutual TLS, the rollover driven through the JSON API.
 * Steps 1–3 run on A; in step 4 the agents replicate with A and receive their new key. The test lets eight
 * replications through, waits until B's API shows the computers they delivered to (the others never seen), lets the
 * agents run freely and SIGKILLs A as soon as one more replication was answered — the agents are mid-stream, some
 * replications in flight. The agents then replicate with B, which finishes the rollover (steps 4–6);
 * {@link RolloverChecks#assertWhole} checks the end: each agent on the one certificate step 2 issued for it, a key
 * delivered twice only where the kill cut a replication, the audit, the six steps.
 */
class RolloverKillIT {
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int AGENTS = 24;
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
            Path work = a.data().getParent();
            WebClient apiA = new WebClient(Integer.parseInt(a.env("CERTWATCH_HTTPS_PORT")), work);
            WebClient apiB = new WebClient(Integer.parseInt(b.env("CERTWATCH_HTTPS_PORT")), work);
            apiA.awaitSignIn(RolloverChecks.ADMIN, WAIT);
            apiB.awaitSignIn(RolloverChecks.ADMIN, WAIT);
            System.out.println("RolloverKillIT: two servers up in " + seconds(started) + " s");

            String token = RolloverChecks.enrolmentToken(apiA, AGENTS);
            long oldCa = RolloverChecks.oldCa(apiA);
            Path agents = work.resolve("rollover-kill-agents");
            long rollover;
            Map<Path, String> cut;
            try (Simulator onA = new Simulator(agents, "127.0.0.1", Integer.parseInt(a.env("CERTWATCH_AGENT_PORT")),
                    AGENTS, THREADS, Clock.systemUTC())) {
                assertEquals(List.of(), onA.enrolAll(token));
                assertAllOk(onA.round()); // the computers appear, on the old CA: step 2's targets
                rollover = RolloverChecks.startToStep3(apiA, AGENTS);
                // step 4 on A, watched on B (the other server, through the database)
                cut = RolloverChecks.killInStep4(a, apiB, rollover, onA, 8, THREADS);
            }
            // the agents turn to B (their folders as the kill left them), which serves them to the end
            long onB = System.nanoTime();
            try (Simulator fleet = new Simulator(agents, "127.0.0.1", Integer.parseInt(b.env("CERTWATCH_AGENT_PORT")),
                    AGENTS, THREADS, Clock.systemUTC())) {
                JsonNode done = RolloverChecks.finish(b, apiB, rollover, fleet);
                System.out.println("RolloverKillIT: B finished steps 4-6 in " + seconds(onB) + " s");
                RolloverChecks.assertWhole(apiB, done, oldCa, fleet, cut);
            }
        }
        System.out.println("RolloverKillIT: " + seconds(started) + " s in all");
    }

    private static CertwatchServer onDatabase(PostgresServer db, String name) throws Exception {
        CertwatchServer server = db.prepareServer(name).env("CERTWATCH_ADMIN_PASSWORD", RolloverChecks.ADMIN_PASSWORD);
        WebUsers.fastPasswords(server);
        return server;
    }

    private static long seconds(long from) {
        return (System.nanoTime() - from) / 1_000_000_000;
    }
}
