package org.certwatch.bench;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch bench rollover}: a full six-step CA rollover for a fleet of simulated agents (default
 * 10,000; the real agent code, each with its own key) on this machine, client and server sharing its
 * cores. The agents replicate back to back, i.e. at the shortest interval the server sustains; step 4
 * takes the two replications the gate waits for (deliver, confirm); steps 5 and 6 wait for none. After
 * step 6 one more round shows every agent working against the new server certificate (timed apart).
 * Figures: the wall time of the whole rollover, of each step (a step's replications included), and the
 * replications per second sustained.
 */
final class RolloverBench {
    private static final int AGENTS = Integer.getInteger("certwatch.bench.rollover.agents",
            Integer.parseInt(System.getenv().getOrDefault("CERTWATCH_BENCH_ROLLOVER_AGENTS", "10000")));
    /**
     * Replications in flight at once. A real fleet's agents each have their own connection and disk, so a round
     * has as many in flight as its rate × latency; 16 closed-loop agents capped the rate at 16 ÷ latency, with
     * every durable sync (the server's, and the simulated agents' own) in that latency.
     */
    private static final int THREADS = Integer.getInteger("certwatch.bench.rollover.threads", 64);
    private static final Duration GOGO = Duration.ofMinutes(5);

    private RolloverBench() {
    }

    static List<Figure> run() throws Exception {
        String serverOpts = System.getenv().getOrDefault("CERTWATCH_BENCH_SERVER_JAVA_OPTS", "-Xmx768m -XX:+UseSerialGC");
        double[] step = new double[7];
        List<Double> rates = new ArrayList<>();
        double total;
        double afterwards;
        try (CertwatchServer server = CertwatchServer.prepare("bench-rollover").quiet().env("CERTWATCH_JAVA_OPTS", serverOpts)) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), Duration.ofSeconds(120));
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            String token = server.gogo("certwatch:enrol-token All " + AGENTS + " 24");
            long oldCa = Long.parseLong(server.gogo("certwatch:server-cert").replaceAll("(?s).* ca=(\\d+) .*", "$1"));
            int port = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
            Path dir = server.data().resolveSibling("agents");
            System.out.printf("rollover bench: %d agents, %d client threads, %d cores shared by client and server; server %s%n",
                    AGENTS, THREADS, Runtime.getRuntime().availableProcessors(), serverOpts);
            try (LoadGeneratorCrypto crypto = LoadGeneratorCrypto.install();
                    Simulator sim = new Simulator(dir, "127.0.0.1", port, AGENTS, THREADS, Clock.systemUTC())) {
                List<String> failures = sim.enrolAll(token);
                if (!failures.isEmpty()) {
                    throw new IllegalStateException(failures.size() + " enrolments failed, first: " + failures.get(0));
                }
                round(sim, rates); // the computers appear; not part of the rollover
                rates.clear();
                long start = System.nanoTime();
                step[1] = timed(() -> expect(server, "certwatch:rollover-start " + oldCa, "completed=1"));
                step[2] = timed(() -> expect(server, "certwatch:rollover-advance 1", "completed=2"));
                step[3] = timed(() -> expect(server, "certwatch:rollover-advance 1", "completed=3"));
                step[4] = timed(() -> {
                    round(sim, rates); // the new certificate arrives and is applied
                    round(sim, rates); // the agent authenticates with it and confirms
                    expect(server, "certwatch:rollover-advance 1", "completed=4");
                });
                // the gates of steps 5 and 6 need no further replication: every agent confirmed its new
                // certificate in step 4, and none has authenticated with an old one since
                step[5] = timed(() -> expect(server, "certwatch:rollover-advance 1", "completed=5"));
                step[6] = timed(() -> expect(server, "certwatch:rollover-advance 1", "DONE completed=6"));
                total = (System.nanoTime() - start) / 1e9;
                // after the rollover (not part of it): every agent replicates against the new server
                // certificate with its new one, the old CA gone and its certificates revoked; none refused
                afterwards = timed(() -> round(sim, rates));
            }
        }
        System.out.printf(Locale.ROOT, "rollover of %d agents: %.1f s (steps %.1f / %.1f / %.1f / %.1f / %.1f / %.1f s), %s replications/s;"
                + " then every agent against the new server certificate in %.1f s%n",
                AGENTS, total, step[1], step[2], step[3], step[4], step[5], step[6], rates, afterwards);
        List<Figure> figures = new ArrayList<>();
        figures.add(new Figure("rollover: full six steps, " + AGENTS + " agents", "s", List.of(total), "", List.of(),
                "≤ 45 s", false));
        String[] names = {"", "1 new CA", "2 issue certificates", "3 policies", "4 two replications each + gate",
                "5 server certificate", "6 revoke, CRL, delete old CA"};
        for (int i = 1; i <= 6; i++) {
            figures.add(new Figure("rollover: step " + names[i], "s", List.of(step[i]), "", List.of(), "—", false));
        }
        figures.add(new Figure("rollover: afterwards, one replication of every agent against the new server certificate",
                "s", List.of(afterwards), "", List.of(), "—", false));
        figures.add(new Figure("rollover: replications/s sustained (step 4 and afterwards)", "/s", rates, "", List.of(), "—", true));
        return figures;
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double timed(Work work) throws Exception {
        long t0 = System.nanoTime();
        work.run();
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "  %.1f s%n", s);
        return s;
    }

    private static void expect(CertwatchServer server, String command, String expected) throws Exception {
        String answer = server.gogo(command);
        if (!answer.contains(expected)) {
            throw new IllegalStateException(command + " did not answer " + expected + ": "
                    + (answer.length() > 2000 ? answer.substring(0, 2000) + " …" : answer));
        }
    }

    /** One replication of every agent, back to back; fails on any refused replication. */
    private static void round(Simulator sim, List<Double> rates) throws InterruptedException {
        long t0 = System.nanoTime();
        List<Agent.Outcome> outcomes = sim.round();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " replications failed, e.g. "
                    + outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().message());
        }
        rates.add(outcomes.size() / seconds);
        System.out.printf(Locale.ROOT, "    round: %d replications in %.1f s (%.0f/s)%n", outcomes.size(), seconds,
                outcomes.size() / seconds);
    }
}
