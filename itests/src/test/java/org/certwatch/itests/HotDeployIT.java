package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hot deploy on a running server: bundles, bad jars, features and configuration, one change at a time. */
class HotDeployIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String PROBE = "org.certwatch.probe";
    private static final String NEIGHBOUR = "org.certwatch.probe.neighbour";

    private static CertwatchServer server;
    private static Path variants;
    private static List<String> startupErrors;

    @BeforeAll
    static void start() throws IOException {
        server = CertwatchServer.prepare("hotdeploy").startAndAwaitReady();
        startupErrors = server.output().stream().filter(line -> line.contains(" ERROR ")).toList();
        variants = server.data().getParent().resolve("variants");
        Path neighbour = TestBundles.probeVariant(variants, "neighbour.jar",
                Map.of("Bundle-SymbolicName", NEIGHBOUR), "neighbour");
        CertwatchServer.placeAtomically(neighbour, server.deploy().resolve("neighbour.jar"));
        CertwatchServer.await("the neighbour probe answers", WAIT, () -> server.probeAnswer(NEIGHBOUR).isPresent());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    @Test
    void everyBundleOfTheDistributionIsActive() {
        String bundles = server.probe(NEIGHBOUR, "bundles").orElseThrow();
        List<String> notActive = bundles.lines().filter(line -> !line.endsWith(" ACTIVE")).toList();
        assertEquals(List.of(), notActive, "bundles not active:\n" + bundles);
        assertTrue(bundles.contains(" org.certwatch.api "), bundles);
        assertTrue(bundles.contains(" org.certwatch.deployer "), bundles);
        assertTrue(bundles.contains(" org.apache.felix.scr "), bundles);
        assertEquals(List.of(), startupErrors, "errors in the log while starting");
    }

    @Test
    void probeIsDeployedUpdatedAndRemovedWhileItsNeighbourKeepsAnswering() throws Exception {
        String neighbourPort = Files.readString(server.data().resolve("probes").resolve(NEIGHBOUR + ".port"));
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        Thread watcher = new Thread(() -> {
            while (watching.get()) {
                Optional<String> answer = server.probeAnswer(NEIGHBOUR);
                if (answer.isPresent() && answer.get().contains("neighbour")) {
                    answered.incrementAndGet();
                } else {
                    failed.incrementAndGet();
                }
            }
        });
        watcher.start();
        try {
            Path deployed = server.deploy().resolve("probe.jar");
            long t0 = System.nanoTime();
            CertwatchServer.placeAtomically(TestBundles.probe(), deployed);
            CertwatchServer.await("probe v1 answers", WAIT,
                    () -> server.probeAnswer(PROBE).filter(a -> a.contains(" v1 ")).isPresent());
            System.out.printf("probe installed and answering after %d ms%n", (System.nanoTime() - t0) / 1_000_000);

            Path v2 = TestBundles.probeVariant(variants, "probe-v2.jar", Map.of("Bundle-Version", "0.2.0"), "v2");
            long t1 = System.nanoTime();
            CertwatchServer.placeAtomically(v2, deployed);
            CertwatchServer.await("probe v2 answers", WAIT,
                    () -> server.probeAnswer(PROBE).filter(a -> a.startsWith(PROBE + " 0.2.0 v2 ")).isPresent());
            System.out.printf("probe updated and answering after %d ms%n", (System.nanoTime() - t1) / 1_000_000);

            Files.delete(deployed);
            CertwatchServer.await("probe gone", WAIT, () -> server.probeAnswer(PROBE).isEmpty());
            // the probe stops answering when it is stopped, a moment before FileInstall has uninstalled it
            CertwatchServer.await("the removed probe is uninstalled", WAIT,
                    () -> !server.probe(NEIGHBOUR, "bundles").orElseThrow().contains(" " + PROBE + " "));
        } finally {
            watching.set(false);
            watcher.join();
        }
        assertEquals(0, failed.get(), "the neighbour missed answers (" + answered.get() + " answered)");
        assertTrue(answered.get() > 10, "the neighbour was asked throughout");
        assertEquals(neighbourPort, Files.readString(server.data().resolve("probes").resolve(NEIGHBOUR + ".port")),
                "the neighbour was not restarted");
    }

    /**
     * Issue 21, item 1 on a server on its files: the store's bundle removed while running. The HTTPS port stays
     * open: what needs the store (a CRL, asked for without a login) is 503 storage-unavailable with Retry-After,
     * the login page answers; with the jar back the store answers again, without a restart.
     */
    @Test
    void removingTheStoreLeavesHttpsOpenWith503sUntilItIsBack() throws Exception {
        WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")),
                Files.createDirectories(variants.resolve("store-web")));
        // a CRL is looked up in the store, which knows no CA 9999: 404 while it runs
        CertwatchServer.await("the store answers a CRL request", WAIT, () -> status(web, "/crl/9999.crl") == 404);
        Path jar = server.deploy().resolve("org.certwatch.store.jar");
        Path aside = Files.move(jar, variants.resolve("store-aside.jar"));
        try {
            server.awaitLog(l -> l.contains("web: the certificate store is gone"), WAIT);
            WebClient.Reply crl = web.get("/crl/9999.crl");
            assertEquals(503, crl.status(), crl.body());
            assertEquals("application/problem+json", crl.header("content-type"));
            assertTrue(crl.body().contains("\"urn:certwatch:problem:storage-unavailable\""), crl.body());
            assertEquals("5", crl.header("retry-after"));
            assertEquals(200, status(web, "/login"), "the login page answers");
        } finally {
            CertwatchServer.placeAtomically(aside, jar);
        }
        CertwatchServer.await("the store answers again", Duration.ofSeconds(120), () -> status(web, "/crl/9999.crl") == 404);
    }

    private static int status(WebClient web, String path) {
        try {
            return web.get(path).status();
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void corruptAndPlainJarsAreReportedAndFixingTheFileDeploysIt() throws Exception {
        Path corrupt = server.deploy().resolve("corrupt.jar");
        byte[] garbage = new byte[4096];
        new java.util.Random(42).nextBytes(garbage);
        Path temp = variants.resolve("garbage.bin");
        Files.write(temp, garbage);
        CertwatchServer.placeAtomically(temp, corrupt);
        server.awaitLog(line -> line.contains(" ERROR ") && line.contains("corrupt.jar") && line.contains("corrupt jar"),
                WAIT);

        Path plainJar = variants.resolve("plain.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(plainJar))) {
            zip.putNextEntry(new ZipEntry("hello.txt"));
            zip.write("not a bundle".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        CertwatchServer.placeAtomically(plainJar, server.deploy().resolve("plain.jar"));
        server.awaitLog(line -> line.contains(" ERROR ") && line.contains("plain.jar")
                && line.contains("not an OSGi bundle"), WAIT);

        Path fixed = TestBundles.probeVariant(variants, "fixed.jar",
                Map.of("Bundle-SymbolicName", "org.certwatch.probe.fixed"), "fixed");
        CertwatchServer.placeAtomically(fixed, corrupt);
        CertwatchServer.await("the fixed jar answers", WAIT,
                () -> server.probeAnswer("org.certwatch.probe.fixed").isPresent());
        Files.delete(corrupt);
        Files.delete(server.deploy().resolve("plain.jar"));
        assertTrue(server.probeAnswer(NEIGHBOUR).isPresent());
    }

    @Test
    void unresolvableBundleIsReportedAndFixedByReplacingIt() throws Exception {
        String name = "org.certwatch.probe.unresolvable";
        Path broken = TestBundles.probeVariant(variants, "unresolvable.jar", Map.of("Bundle-SymbolicName", name,
                "Import-Package", "org.example.missing;version=\"[1,2)\",org.osgi.framework"), "broken");
        Path deployed = server.deploy().resolve("unresolvable.jar");
        CertwatchServer.placeAtomically(broken, deployed);
        server.awaitLog(line -> line.contains("unresolvable.jar") && line.contains("org.example.missing"), WAIT);
        assertTrue(server.probeAnswer(name).isEmpty());

        Path repaired = TestBundles.probeVariant(variants, "repaired.jar", Map.of("Bundle-SymbolicName", name), "repaired");
        CertwatchServer.placeAtomically(repaired, deployed);
        CertwatchServer.await("the repaired bundle answers", WAIT,
                () -> server.probeAnswer(name).filter(a -> a.contains("repaired")).isPresent());
        Files.delete(deployed);
        CertwatchServer.await("the repaired bundle is removed", WAIT, () -> server.probeAnswer(name).isEmpty());
    }

    @Test
    void featureFileDeploysItsPluginsAndRemovingItRemovesThoseNoOtherFeatureNeeds() throws Exception {
        Path repository = server.home().resolve("repository");
        Path alpha = TestBundles.probeVariant(variants, "alpha.jar", Map.of("Bundle-SymbolicName", "org.certwatch.probe.alpha",
                "Bundle-Version", "1.0.0"), "alpha");
        Path shared = TestBundles.probeVariant(variants, "shared.jar", Map.of("Bundle-SymbolicName", "org.certwatch.probe.shared",
                "Bundle-Version", "1.0.0"), "shared");
        Files.copy(alpha, repository.resolve("org.certwatch.probe.alpha_1.0.0.jar"));
        Files.copy(shared, repository.resolve("org.certwatch.probe.shared_1.0.0.jar"));
        Path first = server.deploy().resolve("first.feature.xml");
        Path second = server.deploy().resolve("second.feature.xml");
        CertwatchServer.writeAtomically(first, """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="first" version="1.0.0" label="first test feature">
                  <plugin id="org.certwatch.probe.alpha" version="1.0.0"/>
                  <plugin id="org.certwatch.probe.shared" version="1.0.0"/>
                </feature>
                """);
        CertwatchServer.writeAtomically(second, """
                <?xml version="1.0" encoding="UTF-8"?>
                <feature id="second" version="1.0.0" label="second test feature">
                  <plugin id="org.certwatch.probe.shared" version="1.0.0"/>
                </feature>
                """);
        CertwatchServer.await("both plugins answer", WAIT,
                () -> server.probeAnswer("org.certwatch.probe.alpha").isPresent()
                        && server.probeAnswer("org.certwatch.probe.shared").isPresent());

        Files.delete(first);
        CertwatchServer.await("alpha removed", WAIT, () -> server.probeAnswer("org.certwatch.probe.alpha").isEmpty());
        assertTrue(server.probeAnswer("org.certwatch.probe.shared").isPresent(), "shared plugin stays for 'second'");
        assertTrue(Files.exists(server.deploy().resolve("org.certwatch.probe.shared.jar")));

        Files.delete(second);
        CertwatchServer.await("shared removed", WAIT, () -> server.probeAnswer("org.certwatch.probe.shared").isEmpty());
    }

    @Test
    void malformedFeatureIsReportedWithFileAndCause() throws Exception {
        Path bad = server.deploy().resolve("broken.feature.xml");
        CertwatchServer.writeAtomically(bad, "<feature id=\"broken\" version=\"1\"><plugin id=\"x\"</feature>");
        server.awaitLog(line -> line.contains(" ERROR ") && line.contains("broken.feature.xml")
                && line.contains("not well-formed"), WAIT);
        CertwatchServer.writeAtomically(bad, "<feature id=\"broken\"><plugin id=\"x\" version=\"1\"/></feature>");
        server.awaitLog(line -> line.contains("broken.feature.xml") && line.contains("has no version attribute"), WAIT);
        Files.delete(bad);
        assertTrue(server.probeAnswer(NEIGHBOUR).isPresent());
    }

    @Test
    void configurationChangesApplyLiveAndABadValueKeepsTheLastGoodOne() throws Exception {
        Path cfg = server.etc().resolve("org.certwatch.probe.cfg");
        CertwatchServer.writeAtomically(cfg, "greeting=bonjour\nrepeat=2\n");
        CertwatchServer.await("greeting applied", WAIT,
                () -> server.probeAnswer(NEIGHBOUR).filter(a -> a.endsWith("bonjour bonjour")).isPresent());

        CertwatchServer.writeAtomically(cfg, "greeting=hola\nrepeat=abc\n");
        String error = server.awaitLog(line -> line.contains("org.certwatch.probe.cfg") && line.contains("'repeat'"), WAIT);
        assertTrue(error.contains(" ERROR "), error);
        assertTrue(server.probeAnswer(NEIGHBOUR).orElseThrow().endsWith("bonjour bonjour"),
                "the last good configuration stays");

        CertwatchServer.writeAtomically(cfg, "greeting=hola\nrepeat=1\n");
        CertwatchServer.await("fixed configuration applied", WAIT,
                () -> server.probeAnswer(NEIGHBOUR).filter(a -> a.endsWith(" hola")).isPresent());
        Files.delete(cfg);
        CertwatchServer.await("defaults back", WAIT,
                () -> server.probeAnswer(NEIGHBOUR).filter(a -> a.endsWith(" hello")).isPresent());
    }

    @Test
    void testClockMovesTheTimeComponentsSee() throws Exception {
        java.time.Instant before = neighbourClock().orElseThrow();
        assertTrue(Duration.between(before, java.time.Instant.now()).abs().toMinutes() < 5, "system time first");
        Path deployed = server.deploy().resolve("testclock.jar");
        CertwatchServer.placeAtomically(TestBundles.testClock(), deployed);
        CertwatchServer.await("test clock listening", WAIT, () -> Files.exists(server.data().resolve("testclock.port")));
        CertwatchServer.await("probe rebound to the test clock", WAIT, () -> {
            try {
                return server.clock("offset").startsWith("ok ");
            } catch (IOException e) {
                return false;
            }
        });
        String answer = server.clock("advance P30D");
        assertTrue(answer.startsWith("ok ") && answer.endsWith(" PT720H"), answer);
        CertwatchServer.await("the probe sees the moved clock", WAIT, () -> neighbourClock()
                .map(seen -> Duration.between(java.time.Instant.now(), seen).toHours())
                .filter(hoursAhead -> hoursAhead >= 719 && hoursAhead <= 720).isPresent());
        assertTrue(server.clock("set nonsense").startsWith("error "));
        Files.delete(deployed);
        CertwatchServer.await("back on the system clock", WAIT, () -> neighbourClock()
                .filter(seen -> Duration.between(seen, java.time.Instant.now()).abs().toMinutes() < 5).isPresent());
    }

    /** The time the neighbour probe sees; empty while it rebinds to another clock (it restarts then). */
    private static Optional<java.time.Instant> neighbourClock() {
        return server.probe(NEIGHBOUR, "clock").map(java.time.Instant::parse);
    }
}
