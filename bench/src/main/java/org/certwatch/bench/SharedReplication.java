package org.certwatch.bench;

import static org.certwatch.bench.SharedBench.FILE;
import static org.certwatch.bench.SharedBench.ROUNDS;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;

/**
 * The shared benchmark's CPU figures: simulated agents replicating to server A on PostgreSQL and to the server on its
 * files in turn; the server's CPU per replication, and what PostgreSQL's processes and server B spend beside it.
 */
final class SharedReplication {
    private static final int AGENTS = Integer.getInteger("certwatch.bench.shared.agents", 200);

    private SharedReplication() {
    }

    /**
     * The server's CPU per replication (simulated agents with the agent's default TLS, full handshake and session resumed), on
     * PostgreSQL (server A; beside it PostgreSQL's processes and server B, which hears of every change) and on files.
     */
    static void measure(CertwatchServer a, CertwatchServer b, CertwatchServer file,
            List<Figure> figures) throws Exception {
        List<List<Double>> fileCpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> sharedCpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> pgCpu = List.of(new ArrayList<>(), new ArrayList<>());
        List<List<Double>> otherCpu = List.of(new ArrayList<>(), new ArrayList<>());
        try (LoadGeneratorCrypto crypto = LoadGeneratorCrypto.install();
                Simulator onFile = simulator(file, "agents-file");
                Simulator onShared = simulator(a, "agents-shared")) {
            for (int r = 0; r <= ROUNDS; r++) {
                for (int resumed = 0; resumed < 2; resumed++) {
                    boolean resume = resumed == 1;
                    if (resume) {
                        replicate(onFile.resume(true), file.process().pid(), List.of()); // sessions for the resumed round
                        replicate(onShared.resume(true), a.process().pid(), List.of());
                    }
                    double[] f = replicate(onFile.resume(resume), file.process().pid(), List.of());
                    double[] s = replicate(onShared.resume(resume), a.process().pid(),
                            List.of(postgresPids(), List.of(b.process().pid())));
                    if (r == 0) {
                        continue; // the first replications make the computers and warm the JIT
                    }
                    fileCpu.get(resumed).add(f[0]);
                    sharedCpu.get(resumed).add(s[0]);
                    pgCpu.get(resumed).add(s[1]);
                    otherCpu.get(resumed).add(s[2]);
                    System.out.printf(Locale.ROOT, "replication round %d (%s): server CPU per replication file %.2f ms,"
                            + " PostgreSQL %.2f ms (+ PostgreSQL's own %.2f ms, server B %.2f ms)%n", r,
                            resume ? "resumed" : "full handshake", f[0], s[0], s[1], s[2]);
                }
            }
        }
        String[] kinds = {"full handshake", "session resumed"};
        for (int k = 0; k < 2; k++) {
            figures.add(new Figure("shared: server CPU per replication on PostgreSQL, " + kinds[k] + " (the agent's default TLS, " + AGENTS
                    + " agents)", "ms", sharedCpu.get(k), FILE, fileCpu.get(k), "—", false));
            figures.add(new Figure("shared: PostgreSQL's processes' CPU per replication, " + kinds[k], "ms", pgCpu.get(k),
                    "", List.of(), "—", false));
            figures.add(new Figure("shared: the second server's CPU per replication on the first, " + kinds[k], "ms",
                    otherCpu.get(k), "", List.of(), "—", false));
        }
    }

    private static Simulator simulator(CertwatchServer server, String folder) throws Exception {
        String token = server.gogo("certwatch:enrol-token All " + AGENTS + " 24");
        if (!token.startsWith("cwt1.")) {
            throw new IllegalStateException("no enrolment token: " + token);
        }
        Simulator sim = new Simulator(server.data().resolveSibling(folder), "127.0.0.1",
                Integer.parseInt(server.env("CERTWATCH_AGENT_PORT")), AGENTS, 8, Clock.systemUTC());
        List<String> failures = sim.enrolAll(token);
        if (!failures.isEmpty()) {
            sim.close();
            throw new IllegalStateException(failures.size() + " enrolments failed, first: " + failures.get(0));
        }
        return sim;
    }

    /** One round; the CPU per replication of {@code pid} and of each group of {@code others} (ms). */
    private static double[] replicate(Simulator sim, long pid, List<List<Long>> others) throws Exception {
        double[] before = new double[others.size() + 1];
        before[0] = ProcessCpu.millis(pid);
        for (int i = 0; i < others.size(); i++) {
            before[i + 1] = cpu(others.get(i));
        }
        List<Agent.Outcome> outcomes = sim.round();
        long failed = outcomes.stream().filter(o -> !o.ok()).count();
        if (failed > 0) {
            throw new IllegalStateException(failed + " replications failed, e.g. "
                    + outcomes.stream().filter(o -> !o.ok()).findFirst().orElseThrow().message());
        }
        double[] perReplication = new double[before.length];
        perReplication[0] = (ProcessCpu.millis(pid) - before[0]) / outcomes.size();
        for (int i = 0; i < others.size(); i++) {
            perReplication[i + 1] = (cpu(others.get(i)) - before[i + 1]) / outcomes.size();
        }
        return perReplication;
    }

    private static double cpu(List<Long> pids) {
        double sum = 0;
        for (long pid : pids) {
            try {
                sum += ProcessCpu.millis(pid);
            } catch (java.io.IOException e) {
                // a backend that ended meanwhile: its time went to the postmaster's children's total
            }
        }
        return sum;
    }

    /**
     * PostgreSQL's processes, the postmaster and its backends: this JVM's descendants whose executable is
     * {@code postgres} (a backend's command line is its process title, which names neither the binary nor the folder).
     */
    private static List<Long> postgresPids() {
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
            if (p.info().command().orElse("").endsWith("/postgres")) {
                pids.add(p.pid());
            }
        }
        return pids;
    }
}
