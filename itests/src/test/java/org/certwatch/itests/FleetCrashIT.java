package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SIGKILL of the real server (on its files) while real agents replicate: after the restart every computer an answer
 * named is there, with at least as many replications as were answered (each one increments the
 * count the console shows), so no acknowledged change of a computer was lost. Then, on the same server and agents,
 * a SIGKILL in the middle of a rollover's step 4 while the server delivers the agents' new keys: after the restart
 * the rollover resumes after step 3, the agents finish step 4 and the server steps 5 and 6, and the end is whole
 * ({@link RolloverChecks#assertWhole}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetCrashIT {
    private static final int AGENTS = 24;
    /** Generous: on a machine shared with other builds the server has opened its endpoint only minutes after its start. */
    private static final Duration WAIT = Duration.ofMinutes(4);
    private static final int THREADS = 6;
    private static final Pattern LINE = Pattern.compile("^(\\d+) (\\S+) group=\\S+ .* sincePolicy=(\\d+)");

    private CertwatchServer server;
    private int port;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        server = CertwatchServer.prepare("crash-fleet").env("CERTWATCH_ADMIN_PASSWORD", RolloverChecks.ADMIN_PASSWORD);
        WebUsers.fastPasswords(server);
        server.startAndAwaitReady();
        server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
        port = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
        dir = server.data().resolveSibling("agents");
    }

    @AfterAll
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Order(1)
    void killDuringReplicationsLosesNoAcknowledgedComputerChange() throws Exception {
        Faults.deployGogo(server);
        String token = server.gogo("certwatch:enrol-token All " + AGENTS);
        assertTrue(token.startsWith("cwt1."), token);
        Map<Long, Integer> acknowledged = new ConcurrentHashMap<>(); // computer id → answered replications
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        try (Simulator sim = new Simulator(dir, "127.0.0.1", port, AGENTS, THREADS, Clock.systemUTC())) {
            assertEquals(List.of(), sim.enrolAll(token));
            // the agents have never replicated: their computers appear during the load, and are acknowledged changes too
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<Agent> own = sim.agents().subList(t * AGENTS / THREADS, (t + 1) * AGENTS / THREADS);
                Thread thread = new Thread(() -> {
                    while (!stop.get()) {
                        for (Agent a : own) {
                            Agent.Outcome o = a.replicate();
                            if (!o.ok()) {
                                return; // the server is gone: this replication is unacknowledged
                            }
                            acknowledged.merge(o.computerId(), 1, Integer::sum);
                            answered.incrementAndGet();
                        }
                    }
                }, "replicating-" + t);
                thread.start();
                threads.add(thread);
            }
            CertwatchServer.await("300 replications answered", WAIT, () -> answered.get() >= 300);
            Faults.kill(server); // the agents are mid-replication
            stop.set(true);
            for (Thread t : threads) {
                t.join(120_000);
            }
        }
        Map<Long, Integer> acked = new TreeMap<>(acknowledged);
        System.out.println("killed after " + answered.get() + " answered replications of " + acked.size() + " computers");
        assertEquals(AGENTS, acked.size(), "every agent's computer was answered before the kill");

        Faults.restart(server);
        Map<Long, Integer> stored = new TreeMap<>();
        String list = server.awaitGogo("certwatch:computers", WAIT);
        for (String line : list.split("\n")) {
            Matcher m = LINE.matcher(line);
            if (m.find()) {
                stored.put(Long.parseLong(m.group(1)), Integer.parseInt(m.group(3)));
            }
        }
        for (Map.Entry<Long, Integer> e : acked.entrySet()) {
            Integer count = stored.get(e.getKey());
            assertTrue(count != null, "acknowledged computer " + e.getKey() + " lost after the kill:\n" + list);
            assertTrue(count >= e.getValue(), "computer " + e.getKey() + ": " + e.getValue()
                    + " replications answered, " + count + " stored after the kill:\n" + list);
        }
    }

    @Test
    @Order(2)
    void killInTheMiddleOfStep4ResumesAfterTheRestart() throws Exception {
        long started = System.nanoTime();
        WebClient api = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), server.data().getParent());
        api.awaitSignIn(RolloverChecks.ADMIN, WAIT);
        long oldCa = RolloverChecks.oldCa(api);
        long rollover;
        Map<Path, String> cut;
        // the agents of the test before, every computer on the old CA since its last replication
        try (Simulator sim = new Simulator(dir, "127.0.0.1", port, AGENTS, THREADS, Clock.systemUTC())) {
            rollover = RolloverChecks.startToStep3(api, AGENTS);
            cut = RolloverChecks.killInStep4(server, api, rollover, sim, 8, THREADS);
        }
        int mark = server.output().size();
        Faults.restart(server);
        Faults.awaitLogSince(server, mark, l -> l.contains("rollover " + rollover + " of CA " + oldCa
                + " resumes after step 3"), WAIT);
        WebClient again = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), server.data().getParent());
        again.awaitSignIn(RolloverChecks.ADMIN, WAIT);
        try (Simulator sim = new Simulator(dir, "127.0.0.1", port, AGENTS, THREADS, Clock.systemUTC())) {
            RolloverChecks.assertWhole(again, RolloverChecks.finish(server, again, rollover, sim), oldCa, sim, cut);
        }
        System.out.println("FleetCrashIT: the rollover killed in step 4 finished after the restart, "
                + (System.nanoTime() - started) / 1_000_000_000 + " s");
    }
}
