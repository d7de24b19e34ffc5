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
 * {@code ./certwatch bench fleet}: simulated agents (the real agent code, each with its own key and
 * certificate) replicating against one server on this machine, client and server sharing its cores.
 * Replications per second with a full mutual-TLS handshake each, and with session resumption; the
 * largest fleet one 60 s round can serve follows from the full-handshake rate (a fleet whose agents all
 * reconnect from scratch is the worst case). Anchor: {@code openssl speed -seconds 3 ecdsap256}
 * verify/s, measured between the samples.
 */
final class FleetBench {
    private static final int AGENTS = Integer.getInteger("certwatch.bench.fleet.agents",
            Integer.parseInt(System.getenv().getOrDefault("CERTWATCH_BENCH_FLEET_AGENTS", "1000")));
    private static final int THREADS = Integer.getInteger("certwatch.bench.fleet.threads", 16);
    private static final int SAMPLES = Integer.getInteger("certwatch.bench.fleet.samples", Figure.MIN_SAMPLES);

    private FleetBench() {
    }

    static List<Figure> run() throws Exception {
        List<Double> full = new ArrayList<>();
        List<Double> resumed = new ArrayList<>();
        List<Double> fleet60 = new ArrayList<>();
        List<Double> anchor = new ArrayList<>();
        List<Double> enrolRate = new ArrayList<>();
        // C2 for the server: the distribution's default flags (C1 only) favour start-up over TLS throughput
        String serverOpts = System.getenv().getOrDefault("CERTWATCH_BENCH_SERVER_JAVA_OPTS", "-Xmx512m -XX:+UseSerialGC");
        try (CertwatchServer server = CertwatchServer.prepare("bench-fleet").quiet().env("CERTWATCH_JAVA_OPTS", serverOpts)) {
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), Duration.ofSeconds(120));
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            String token = server.gogo("certwatch:enrol-token All " + AGENTS + " 24");
            if (!token.startsWith("cwt1.")) {
                throw new IllegalStateException("no enrolment token: " + token);
            }
            int port = Integer.parseInt(server.env("CERTWATCH_AGENT_PORT"));
            Path dir = server.data().resolveSibling("agents");
            System.out.printf("fleet bench: %d agents, %d client threads, %d cores shared by client and server; server %s%n",
                    AGENTS, THREADS, Runtime.getRuntime().availableProcessors(), serverOpts);
            try (LoadGeneratorCrypto crypto = LoadGeneratorCrypto.install();
                    Simulator sim = new Simulator(dir, "127.0.0.1", port, AGENTS, THREADS, Clock.systemUTC())) {
                long t0 = System.nanoTime();
                List<String> failures = sim.enrolAll(token);
                double enrolSeconds = (System.nanoTime() - t0) / 1e9;
                if (!failures.isEmpty()) {
                    throw new IllegalStateException(failures.size() + " enrolments failed, first: " + failures.get(0));
                }
                enrolRate.add(AGENTS / enrolSeconds);
                System.out.printf("enrolled %d agents in %.1f s (%.0f/s)%n", AGENTS, enrolSeconds, AGENTS / enrolSeconds);
                round(sim.resume(false)); // first replications: computers appear, JIT warms up
                for (int i = 0; i < SAMPLES; i++) {
                    anchor.add(OpenSslSpeed.ecdsaP256().verify());
                    double f = round(sim.resume(false));
                    full.add(f);
                    fleet60.add(f * 60);
                    round(sim.resume(true)); // sessions established for the resumed sample
                    double r = round(sim);
                    resumed.add(r);
                    System.out.printf(Locale.ROOT, "sample %d: full %.0f/s, resumed %.0f/s, openssl verify %.0f/s%n",
                            i + 1, f, r, anchor.get(i));
                }
            }
        }
        String anchorName = "openssl speed ecdsap256 verify/s (1 core)";
        return List.of(
                new Figure("fleet: replications/s, full mutual-TLS handshake each", "/s", full, anchorName, anchor,
                        "≥ 167/s (10,000 per 60 s)", true),
                new Figure("fleet: replications/s, TLS session resumed", "/s", resumed, anchorName, anchor, "—", true),
                // agents against verify/s is no ratio; the anchor sits beside the two rates above
                new Figure("fleet: largest fleet per 60 s round (full handshakes × 60)", "agents", fleet60, "",
                        List.of(), "≥ 10,000", true),
                new Figure("fleet: enrolments/s (certificate issued per agent)", "/s", enrolRate, "", List.of(), "—", true));
    }

    /** One replication of every agent; replications per second. Fails on any refused replication. */
    private static double round(Simulator sim) throws InterruptedException {
        long t0 = System.nanoTime();
        List<Agent.Outcome> outcomes = sim.round();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " replications failed, e.g. "
                    + outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().message());
        }
        return outcomes.size() / seconds;
    }
}
