package org.certwatch.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/** What the fault tests share: SIGKILL and restart, and the test-only bundles that drive the server. */
final class Faults {
    static final Duration WAIT = Duration.ofSeconds(90);

    private Faults() {
    }

    /** SIGKILL (no shutdown hook, no flush): the server stops wherever it is. */
    static void kill(CertwatchServer server) throws InterruptedException {
        server.process().toHandle().destroyForcibly();
        if (!server.process().waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("server survived SIGKILL");
        }
        if (server.process().exitValue() != 137) {
            throw new AssertionError("expected exit 137 (SIGKILL), got " + server.process().exitValue());
        }
    }

    /**
     * Starts the server again after a kill and waits for a {@code certwatch ready} written by this
     * start (the earlier run's line is still in the output). The port files the killed run left
     * behind are removed first, so nobody talks to a dead port.
     */
    static void restart(CertwatchServer server) throws IOException {
        Files.deleteIfExists(server.data().resolve("gogo.port"));
        Path probes = server.data().resolve("probes");
        if (Files.isDirectory(probes)) {
            try (Stream<Path> files = Files.list(probes)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        int seen = server.output().size();
        server.start();
        awaitLogSince(server, seen, l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
    }

    /** Waits for a matching line among those written after the first {@code from} lines. */
    static String awaitLogSince(CertwatchServer server, int from, java.util.function.Predicate<String> matcher, Duration timeout) {
        AtomicInteger line = new AtomicInteger();
        return server.awaitLog(l -> line.incrementAndGet() > from && matcher.test(l), timeout);
    }

    /** Lines the server wrote since {@code from} (an earlier {@code output().size()}). */
    static java.util.List<String> since(CertwatchServer server, int from) {
        java.util.List<String> all = server.output();
        return all.subList(Math.min(from, all.size()), all.size());
    }

    static void deployGogo(CertwatchServer server) throws IOException {
        Path jar = server.deploy().resolve("gogo-bridge.jar");
        if (!Files.exists(jar)) {
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), jar);
        }
        server.awaitGogo("certwatch:ca-list", WAIT);
    }

    static void deployStoreDriver(CertwatchServer server) throws IOException {
        Path jar = server.deploy().resolve("storedriver.jar");
        if (!Files.exists(jar)) {
            CertwatchServer.placeAtomically(TestBundles.storeDriver(), jar);
        }
        CertwatchServer.await("store driver", WAIT,
                () -> server.probe("org.certwatch.storedriver", "cas").map(a -> a.contains("CA")).orElse(false));
    }

    static void deployMonitorControl(CertwatchServer server) throws IOException {
        Path jar = server.deploy().resolve("org.certwatch.monitorctl.jar");
        if (!Files.exists(jar)) {
            CertwatchServer.placeAtomically(TestBundles.monitorControl(), jar);
        }
        CertwatchServer.await("monitor control", WAIT,
                () -> server.probe("org.certwatch.monitorctl", "evaluated").orElse("").startsWith("ok"));
    }

    /** A monitor control command that must succeed; its answer without "ok". */

    /** Issues {@code count} AGENT certificates valid for {@code days} through the store driver; first and last id. */
    static long[] issue(CertwatchServer server, int count, int days) throws IOException {
        String answer = server.probe("org.certwatch.storedriver", "issue " + count + " " + days + " All", WAIT);
        if (!answer.startsWith("ok ")) {
            throw new AssertionError("issue " + count + ": " + answer);
        }
        String[] parts = answer.split(" ");
        return new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])};
    }

    /** net-snmp's snmptrapd on a loopback port, logging what it receives (decoded with CERTWATCH-MIB) to {@code log}. */
    static Process snmptrapd(Path work, int port) throws IOException {
        Files.createDirectories(work);
        Files.writeString(work.resolve("snmptrapd.conf"), "authCommunity log public\n");
        return new ProcessBuilder("snmptrapd", "-f", "-Lo", "-n", "-C", "-c", work.resolve("snmptrapd.conf").toString(),
                "-M", NetSnmp.mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB", "-p", work.resolve("pid").toString(),
                "udp:127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(work.resolve("trapd.log").toFile()).start();
    }

    /** How often snmptrapd logged this notice id. */
    static int informs(Path work, String noticeId) throws IOException {
        Path log = work.resolve("trapd.log");
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.split("cwNoticeId.0 = STRING: " + noticeId, -1).length - 1;
    }
}
