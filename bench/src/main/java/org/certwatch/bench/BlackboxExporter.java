package org.certwatch.bench;

import static org.certwatch.bench.ProbeEndpoints.CONCURRENCY;
import static org.certwatch.bench.ProbeEndpoints.NAMES;
import static org.certwatch.bench.ProbeEndpoints.name;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.certwatch.testing.CertwatchServer;

/**
 * The probe benchmark's anchor: {@code prometheus-blackbox-exporter} on its own loopback port, one {@code tcp} module
 * with {@code tls: true} and its {@code server_name} per SNI name, asked for {@code /probe?module=sniN&target=…}
 * by {@link ProbeEndpoints#CONCURRENCY} client threads. The modules name no TLS version: the target's endpoint set
 * decides it, and each answer's {@code probe_tls_version_info} must show the one expected.
 */
final class BlackboxExporter implements AutoCloseable {
    private final Process process;
    private final int port;

    private BlackboxExporter(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static BlackboxExporter start(Path work) throws Exception {
        Path folder = Files.createDirectories(work.resolve("blackbox"));
        StringBuilder yml = new StringBuilder("modules:\n");
        for (int i = 0; i < NAMES; i++) {
            yml.append("  sni").append(i).append(":\n    prober: tcp\n    timeout: 10s\n    tcp:\n      tls: true\n")
                    .append("      tls_config:\n        insecure_skip_verify: true\n        server_name: ")
                    .append(name(i)).append('\n');
        }
        Path config = folder.resolve("blackbox.yml");
        Files.writeString(config, yml);
        int port = CertwatchServer.freeTcpPort();
        BlackboxExporter exporter = new BlackboxExporter(new ProcessBuilder("prometheus-blackbox-exporter",
                "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port).redirectErrorStream(true)
                .redirectOutput(folder.resolve("blackbox.out").toFile()).start(), port);
        try {
            ProbeNginx.awaitListening(port);
            return exporter;
        } catch (Exception | AssertionError e) {
            exporter.close();
            throw e;
        }
    }

    /**
     * The exporter's {@code /probe} of every endpoint on {@code nginxPort}, {@code CONCURRENCY} requests at a time:
     * probes per second; adds the exporter's CPU milliseconds per probe to {@code cpu}. {@code protocol}: the JDK's
     * name of the version each probe must have negotiated ({@code TLSv1.3}).
     */
    double rate(int nginxPort, String protocol, List<Double> cpu) throws Exception {
        String version = "probe_tls_version_info{version=\"" + protocol.replace("TLSv", "TLS ") + "\"} 1";
        ExecutorService clientThreads = Executors.newFixedThreadPool(CONCURRENCY);
        HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        double cpu0 = ProcessCpu.millis(process.pid());
        long t0 = System.nanoTime();
        ProbeEndpoints.each(i -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/probe?module=sni" + i + "&target=127.0.0.1:" + nginxPort)).build();
            String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
            if (!body.contains("\nprobe_success 1") || !body.contains(version)) {
                failed.incrementAndGet();
                failure.set(body);
            }
        });
        double seconds = (System.nanoTime() - t0) / 1e9;
        cpu.add((ProcessCpu.millis(process.pid()) - cpu0) / NAMES);
        clientThreads.shutdown();
        if (failed.get() > 0) {
            throw new AssertionError("the blackbox exporter failed " + failed.get() + " probes (or saw another TLS"
                    + " version than " + protocol + "), e.g.:\n" + failure.get());
        }
        return NAMES / seconds;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
