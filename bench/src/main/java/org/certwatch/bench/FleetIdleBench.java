package org.certwatch.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.certwatch.testing.CertwatchServer;

/**
 * {@code ./certwatch bench fleet-idle}: a server whose fleet holds 100,000 computers (written as its
 * {@code fleet/computers.json} before the start) and sees no replication: its CPU time over 20 s
 * windows, as a share of one core. Whatever the server does per second for the whole fleet shows here.
 */
final class FleetIdleBench {
    private static final int COMPUTERS = Integer.getInteger("certwatch.bench.fleet.idle.computers", 100_000);
    private static final Duration WINDOW = Duration.ofSeconds(20);

    private FleetIdleBench() {
    }

    static List<Figure> run() throws Exception {
        List<Double> share = new ArrayList<>();
        String serverOpts = System.getenv().getOrDefault("CERTWATCH_BENCH_SERVER_JAVA_OPTS", "-Xmx768m -XX:+UseSerialGC");
        try (CertwatchServer server = CertwatchServer.prepare("bench-fleet-idle").quiet().env("CERTWATCH_JAVA_OPTS", serverOpts)) {
            writeComputers(server.data().resolve("fleet"));
            server.startAndAwaitReady();
            server.awaitLog(l -> l.contains("agent endpoint listening"), Duration.ofSeconds(120));
            long pid = server.process().pid();
            Thread.sleep(10_000); // the start's own work (JIT, first monitor pass) is not idle
            for (int i = 0; i < Figure.MIN_SAMPLES; i++) {
                double cpu0 = ProcessCpu.millis(pid);
                long t0 = System.nanoTime();
                Thread.sleep(WINDOW.toMillis());
                double percent = 100 * (ProcessCpu.millis(pid) - cpu0) / ((System.nanoTime() - t0) / 1e6);
                share.add(percent);
                System.out.printf(Locale.ROOT, "idle window %d: %.2f %% of one core%n", i + 1, percent);
            }
        }
        return List.of(new Figure("fleet: idle server CPU, " + COMPUTERS + " computers, no replications", "%", share, "",
                List.of(), "≤ 5 %", true));
    }

    /** The computers as the fleet stores them (format 1), each last seen a minute ago. */
    private static void writeComputers(Path folder) throws IOException {
        Files.createDirectories(folder);
        Instant seen = Instant.now().minusSeconds(60);
        try (OutputStream out = Files.newOutputStream(folder.resolve("computers.json"));
                JsonGenerator g = new ObjectMapper().getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", 1);
            g.writeNumberField("nextComputerId", COMPUTERS + 1);
            g.writeArrayFieldStart("computers");
            for (int id = 1; id <= COMPUTERS; id++) {
                g.writeStartObject();
                g.writeNumberField("id", id);
                g.writeStringField("name", "pc-" + id);
                g.writeStringField("group", "All");
                g.writeNumberField("certificateId", 1_000_000 + id);
                g.writeNumberField("lastCaId", 1);
                g.writeStringField("hostName", "pc-" + id + ".example.org");
                g.writeStringField("agentVersion", "0.1.0");
                g.writeStringField("firstSeen", seen.toString());
                g.writeStringField("lastReplication", seen.toString());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }
}
