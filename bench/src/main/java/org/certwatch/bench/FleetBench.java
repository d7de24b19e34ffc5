package org.certwatch.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.agent.TlsVersion;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch bench fleet}: simulated agents (the real agent code, each with its own key and
 * certificate) replicating against one server on this machine, client and server sharing its cores.
 * Replications per second with a full mutual-TLS handshake each, and with session resumption, in TLS 1.3
 * and in TLS 1.2 (the agent's {@code --tls}); the
 * largest fleet one 60 s round can serve follows from the full-handshake rate (a fleet whose agents all
 * reconnect from scratch is the worst case). Anchors: {@code openssl speed -seconds 3 ecdsap256}
 * verify/s, measured between the samples, for the full handshakes' rates; for the server's CPU per
 * replication and the resumed rates a bare JDK TLS server ({@link BareTlsServer}) on the same key, chain and
 * TLS settings, driven by copies of the same agents right after certwatch's rounds in each sample.
 */
final class FleetBench {
    private static final int AGENTS = Integer.getInteger("certwatch.bench.fleet.agents",
            Integer.parseInt(System.getenv().getOrDefault("CERTWATCH_BENCH_FLEET_AGENTS", "1000")));
    /**
     * Replications in flight at once. A real fleet's agents each have their own connection and disk, so a round
     * has as many in flight as its rate × latency; 16 closed-loop agents capped the rate at 16 ÷ latency, with
     * every durable sync (the server's, and the simulated agents' own) in that latency.
     */
    private static final int THREADS = Integer.getInteger("certwatch.bench.fleet.threads", 64);
    private static final int SAMPLES = Integer.getInteger("certwatch.bench.fleet.samples", Figure.MIN_SAMPLES);
    /** Warm-up passes over every measured path (full and resumed, TLS 1.3 and 1.2) on both servers, not reported. */
    private static final int WARMUP = Integer.getInteger("certwatch.bench.fleet.warmup", 3);

    private FleetBench() {
    }

    static List<Figure> run() throws Exception {
        List<Double> full = new ArrayList<>();
        List<Double> resumed = new ArrayList<>();
        List<Double> fleet60 = new ArrayList<>();
        List<Double> anchor = new ArrayList<>();
        List<Double> enrolRate = new ArrayList<>();
        List<Double> cpuFull = new ArrayList<>();
        List<Double> cpuResumed = new ArrayList<>();
        List<Double> full12 = new ArrayList<>();
        List<Double> resumed12 = new ArrayList<>();
        List<Double> cpuFull12 = new ArrayList<>();
        List<Double> cpuResumed12 = new ArrayList<>();
        List<Double> alone = new ArrayList<>();
        // the simulated agents' own CPU (this JVM) per replication: it shares the cores and caps the rates
        List<Double> simFull12 = new ArrayList<>();
        List<Double> simResumed12 = new ArrayList<>();
        Rounds bareTls13 = new Rounds(TlsVersion.TLS13);
        Rounds bareTls12 = new Rounds(TlsVersion.TLS12);
        // certwatch's own CPU per resumed replication over the JVM's TLS floor: each sample minus the anchor's beside it
        List<Double> ownResumed = new ArrayList<>();
        List<Double> ownResumed12 = new ArrayList<>();
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
            long pid = server.process().pid();
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
                round(sim.resume(false), pid, new ArrayList<>()); // first replications: computers appear, JIT warms up
                // the anchor: a bare JDK TLS server on the server's key and chain, driven by copies of the same agents
                try (BareServer bare = BareServer.start(server, serverOpts, THREADS);
                        Simulator bareSim = new Simulator(bare.agents(dir), "127.0.0.1", bare.port(), AGENTS, THREADS,
                                Clock.systemUTC())) {
                    round(bareSim.resume(false), bare.pid(), new ArrayList<>()); // its JIT warms up too
                    // every path once on both sides before the samples: a fleet's server runs for days, and with one
                    // warm-up round the first samples measured the JIT compiling the resumed paths (C2, 2-3× the
                    // warm CPU per replication), not the code
                    for (int w = 0; w < WARMUP; w++) {
                        for (TlsVersion v : List.of(TlsVersion.TLS13, TlsVersion.TLS12)) {
                            new Rounds(v).measure(sim, pid);
                            new Rounds(v).measure(bareSim, bare.pid());
                        }
                    }
                    for (int i = 0; i < SAMPLES; i++) {
                        anchor.add(OpenSslSpeed.ecdsaP256().verify());
                        sim.tls(TlsVersion.TLS13);
                        double f = round(sim.resume(false), pid, cpuFull);
                        full.add(f);
                        fleet60.add(f * 60);
                        // the server alone on 2 cores: 120 s of CPU per 60 s round
                        alone.add(120_000 / last(cpuFull));
                        round(sim.resume(true), pid, new ArrayList<>()); // sessions established for the resumed sample
                        double r = round(sim, pid, cpuResumed);
                        resumed.add(r);
                        bareTls13.measure(bareSim, bare.pid());
                        // the same with TLS 1.2, whose resumed sessions make no key exchange (--tls 1.2)
                        sim.tls(TlsVersion.TLS12);
                        double f12 = round(sim.resume(false), pid, cpuFull12, simFull12);
                        full12.add(f12);
                        round(sim.resume(true), pid, new ArrayList<>());
                        double r12 = round(sim, pid, cpuResumed12, simResumed12);
                        resumed12.add(r12);
                        bareTls12.measure(bareSim, bare.pid());
                        ownResumed.add(last(cpuResumed) - last(bareTls13.cpuResumed));
                        ownResumed12.add(last(cpuResumed12) - last(bareTls12.cpuResumed));
                        System.out.printf(Locale.ROOT,
                                "sample %d: TLS 1.3 full %.0f/s (server CPU %.2f ms each; bare JDK %.2f ms), resumed %.0f/s"
                                        + " (%.2f ms; bare JDK %.0f/s, %.2f ms); TLS 1.2 full %.0f/s (%.2f ms, agents %.2f ms;"
                                        + " bare JDK %.2f ms), resumed %.0f/s (%.2f ms, agents %.2f ms; bare JDK %.0f/s, %.2f ms);"
                                        + " openssl verify %.0f/s%n",
                                i + 1, f, last(cpuFull), last(bareTls13.cpuFull), r, last(cpuResumed),
                                last(bareTls13.resumed), last(bareTls13.cpuResumed), f12, last(cpuFull12), last(simFull12),
                                last(bareTls12.cpuFull), r12, last(cpuResumed12), last(simResumed12),
                                last(bareTls12.resumed), last(bareTls12.cpuResumed), anchor.get(i));
                    }
                }
                sim.tls(TlsVersion.DEFAULT);
            }
        }
        String anchorName = "openssl speed ecdsap256 verify/s (1 core)";
        String bare = "bare JDK TLS server, same key, chain, client auth and tickets";
        return List.of(
                new Figure("fleet: replications/s, full mutual-TLS handshake each (TLS 1.3)", "/s", full, anchorName, anchor,
                        "≥ 500/s", true),
                // TLS 1.3: the JDK resumes with a key exchange and a new ticket per connection, a floor that is not
                // certwatch's; its targets bound certwatch against that floor measured beside it (benchmarks.md)
                new Figure("fleet: replications/s, TLS session resumed (TLS 1.3)", "/s", resumed, bare, bareTls13.resumed,
                        "≥ 0.8× bare JDK", true),
                new Figure("fleet: server CPU per replication, full handshake (TLS 1.3)", "ms", cpuFull, bare,
                        bareTls13.cpuFull, "≤ 2.5 ms", false),
                new Figure("fleet: server CPU per replication, session resumed (TLS 1.3)", "ms", cpuResumed, bare,
                        bareTls13.cpuResumed, "≤ 1.25× bare JDK", false),
                new Figure("fleet: server CPU per resumed replication over the bare JDK's (TLS 1.3; paired samples)", "ms",
                        ownResumed, "", List.of(), "—", false),
                new Figure("fleet: replications/s, full mutual-TLS handshake each (TLS 1.2)", "/s", full12, anchorName,
                        anchor, "≥ 500/s", true),
                new Figure("fleet: replications/s, TLS session resumed (TLS 1.2, abbreviated handshake)", "/s", resumed12,
                        bare, bareTls12.resumed, "≥ 1000/s", true),
                new Figure("fleet: server CPU per replication, full handshake (TLS 1.2)", "ms", cpuFull12, bare,
                        bareTls12.cpuFull, "≤ 2.5 ms", false),
                new Figure("fleet: server CPU per replication, session resumed (TLS 1.2, abbreviated handshake)", "ms",
                        cpuResumed12, bare, bareTls12.cpuResumed, "≤ 0.8 ms", false),
                new Figure("fleet: server CPU per resumed replication over the bare JDK's (TLS 1.2; paired samples)", "ms",
                        ownResumed12, "", List.of(), "—", false),
                new Figure("fleet: simulated agents' CPU per replication, full handshake (TLS 1.2; the benchmark JVM)", "ms",
                        simFull12, "", List.of(), "—", true),
                new Figure("fleet: simulated agents' CPU per replication, session resumed (TLS 1.2; the benchmark JVM)", "ms",
                        simResumed12, "", List.of(), "—", true),
                new Figure("fleet: largest fleet per 60 s round, server alone on 2 cores (120 s CPU ÷ CPU per full replication)",
                        "agents", alone, "", List.of(), "—", true),
                // agents against verify/s is no ratio; the anchor sits beside the two rates above
                new Figure("fleet: largest fleet per 60 s round (full handshakes × 60)", "agents", fleet60, "",
                        List.of(), "≥ 10,000", true),
                new Figure("fleet: enrolments/s (certificate issued per agent)", "/s", enrolRate, "", List.of(), "—", true));
    }

    /** One TLS version's rounds on one server (the bare JDK's figures): CPU per full and per resumed handshake, resumed rate. */
    private static final class Rounds {
        private final TlsVersion version;
        final List<Double> cpuFull = new ArrayList<>();
        final List<Double> cpuResumed = new ArrayList<>();
        final List<Double> resumed = new ArrayList<>();

        Rounds(TlsVersion version) {
            this.version = version;
        }

        /** The same rounds as certwatch's, right after them: full, sessions made, resumed. */
        void measure(Simulator sim, long pid) throws InterruptedException, IOException {
            sim.tls(version);
            round(sim.resume(false), pid, cpuFull);
            round(sim.resume(true), pid, new ArrayList<>());
            resumed.add(round(sim, pid, cpuResumed));
        }
    }

    /**
     * One replication of every agent; replications per second, and the server's CPU time per
     * replication added to {@code cpuPerReplication}. Fails on any refused replication.
     */
    private static double round(Simulator sim, long serverPid, List<Double> cpuPerReplication)
            throws InterruptedException, IOException {
        return round(sim, serverPid, cpuPerReplication, new ArrayList<>());
    }

    /** The same, and the simulated agents' CPU time per replication (this JVM's) added to {@code agentCpu}. */
    private static double round(Simulator sim, long serverPid, List<Double> cpuPerReplication, List<Double> agentCpu)
            throws InterruptedException, IOException {
        long self = ProcessHandle.current().pid();
        double cpu0 = ProcessCpu.millis(serverPid);
        double agents0 = ProcessCpu.millis(self);
        long t0 = System.nanoTime();
        List<Agent.Outcome> outcomes = sim.round();
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpuPerReplication.add((ProcessCpu.millis(serverPid) - cpu0) / outcomes.size());
        agentCpu.add((ProcessCpu.millis(self) - agents0) / outcomes.size());
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " replications failed, e.g. "
                    + outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().message());
        }
        return outcomes.size() / seconds;
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }
}
