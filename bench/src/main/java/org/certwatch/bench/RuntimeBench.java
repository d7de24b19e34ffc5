package org.certwatch.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/**
 * {@code ./certwatch bench runtime}: start time and idle RSS of the {@code core} feature against a
 * bare Felix starting the same platform bundles, and the hot-redeploy latency.
 */
final class RuntimeBench {
    private static final int RUNS = Figure.MIN_SAMPLES;
    private static final int REDEPLOYS = 9;
    private static final Duration IDLE = Duration.ofSeconds(3);

    private RuntimeBench() {
    }

    static List<Figure> run() throws Exception {
        List<Double> startMillis = new ArrayList<>();
        List<Double> rssMb = new ArrayList<>();
        List<Double> bareStartMillis = new ArrayList<>();
        List<Double> bareRssMb = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            // alternate, so drift on this noisy machine hits both sides alike
            measureBare(bareStartMillis, bareRssMb);
            measureCertwatch(startMillis, rssMb);
            System.out.printf("run %d: certwatch %.0f ms %.0f MB, bare felix %.0f ms %.0f MB%n", i + 1,
                    startMillis.get(i), rssMb.get(i), bareStartMillis.get(i), bareRssMb.get(i));
        }
        List<Double> redeployMillis = measureRedeploys();
        return List.of(
                new Figure("runtime: JVM start → certwatch ready (core)", "ms", startMillis, "bare Felix, same platform bundles",
                        bareStartMillis, "≤ 3000 ms", false),
                new Figure("runtime: idle RSS (core)", "MB", rssMb, "bare Felix, same platform bundles", bareRssMb,
                        "≤ 150 MB", false),
                new Figure("runtime: hot redeploy, jar replaced → new version answering", "ms", redeployMillis, "",
                        List.of(), "≤ 2000 ms median", false));
    }

    private static void measureCertwatch(List<Double> startMillis, List<Double> rssMb) throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("bench-runtime").quiet().onlyFeatures("core")) {
            long t0 = System.nanoTime();
            server.startAndAwaitReady();
            startMillis.add((System.nanoTime() - t0) / 1e6);
            Thread.sleep(IDLE.toMillis());
            rssMb.add(rssMegabytes(server.process().pid()));
        }
    }

    private static void measureBare(List<Double> startMillis, List<Double> rssMb) throws Exception {
        Path distribution = Path.of(System.getProperty("certwatch.distribution"));
        Path cache = Files.createTempDirectory("bare-felix");
        String classpath = distribution.resolve("lib/org.apache.felix.framework.jar") + ":"
                + Path.of(BareFelix.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(CertwatchServer.DEFAULT_JAVA_OPTS.split(" ")));
        command.addAll(List.of("-cp", classpath, BareFelix.class.getName(), distribution.resolve("system").toString(),
                cache.toString()));
        long t0 = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.contains("bare ready")) {
                // wait for the ready line
            }
            if (line == null) {
                throw new IllegalStateException("bare Felix exited before it was ready");
            }
            startMillis.add((System.nanoTime() - t0) / 1e6);
            Thread.sleep(IDLE.toMillis());
            rssMb.add(rssMegabytes(process.pid()));
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<Double> measureRedeploys() throws Exception {
        List<Double> millis = new ArrayList<>();
        try (CertwatchServer server = CertwatchServer.prepare("bench-redeploy").quiet()) {
            server.startAndAwaitReady();
            Path variants = server.data().getParent().resolve("variants");
            Path deployed = server.deploy().resolve("probe.jar");
            CertwatchServer.placeAtomically(TestBundles.probe(), deployed);
            CertwatchServer.await("probe answers", Duration.ofSeconds(60), () -> server.probeAnswer("org.certwatch.probe").isPresent());
            for (int i = 1; i <= REDEPLOYS; i++) {
                String answer = "r" + i;
                Path variant = TestBundles.probeVariant(variants, answer + ".jar", Map.of("Bundle-Version", "1.0." + i), answer);
                long t0 = System.nanoTime();
                CertwatchServer.placeAtomically(variant, deployed);
                while (server.probeAnswer("org.certwatch.probe").filter(a -> a.contains(" " + answer + " ")).isEmpty()) {
                    if (System.nanoTime() - t0 > TimeUnit.SECONDS.toNanos(60)) {
                        throw new IllegalStateException("redeploy " + i + " not answering after 60 s");
                    }
                    Thread.sleep(5);
                }
                millis.add((System.nanoTime() - t0) / 1e6);
                System.out.printf("redeploy %d: %.0f ms%n", i, millis.get(millis.size() - 1));
            }
        }
        return millis;
    }

    static double rssMegabytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for pid " + pid);
    }
}
