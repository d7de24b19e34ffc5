package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Set;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Start, first-start credentials and key password, the data-folder lock and a clean stop on SIGTERM (also while the
 * locations load).
 */
class LifecycleIT {

    @Test
    void firstStartWritesCredentialsOnlyOnceAndNeverLogsThem() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("credentials")
                .env("CERTWATCH_ADMIN_PASSWORD", "preset-admin-secret").startAndAwaitReady()) {
            Path file = server.data().resolve("initial-credentials");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(file));
            String content = Files.readString(file);
            assertTrue(content.contains("CERTWATCH_SNMP_AUTH_PASSWORD="), content);
            assertTrue(!content.contains("CERTWATCH_KEY_PASSWORD"), "the key password lives outside the data folder: " + content);
            Path keyPassword = server.etc().resolve("key-password");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(keyPassword));
            String key = Files.readString(keyPassword).strip();
            server.awaitLog(line -> line.contains("certificate store ready")
                    && line.contains("key password from file " + keyPassword), Duration.ofSeconds(90));
            assertTrue(!server.logContains(line -> line.contains(key)), "key password logged");
            assertTrue(!content.contains("CERTWATCH_ADMIN_PASSWORD"), "a preset is not written: " + content);
            assertTrue(server.logContains(line -> line.contains(file.toString())), "the path is logged");
            for (String line : content.split("\n")) {
                if (line.startsWith("CERTWATCH_SNMP_USER=")) {
                    continue; // a user name, not a secret
                }
                String secret = line.substring(line.indexOf('=') + 1);
                assertTrue(!server.logContains(logLine -> logLine.contains(secret)), "secret logged: " + line);
            }
            assertTrue(!server.logContains(line -> line.contains("preset-admin-secret")));
            assertEquals(0, server.stop(Duration.ofSeconds(30)));
            long written = Files.getLastModifiedTime(file).toMillis();
            server.start().awaitLog(line -> line.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            assertEquals(written, Files.getLastModifiedTime(file).toMillis(), "second start leaves it alone");
        }
    }

    @Test
    void sigtermStopsTheServerCleanly() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("sigterm").startAndAwaitReady()) {
            long t0 = System.nanoTime();
            int exit = server.stop(Duration.ofSeconds(30));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.printf("stopped %d ms after SIGTERM, exit %d%n", millis, exit);
            assertEquals(0, exit);
            server.awaitLog(line -> line.contains("certwatch stopped"), Duration.ofSeconds(10));
            assertTrue(Files.readString(server.data().resolve("log/certwatch.log")).contains("certwatch ready"),
                    "the log file in the data folder has the console output");
        }
    }

    /**
     * Issue 16: the locations are read on their own thread after the start; a SIGTERM while 100,000 of them load
     * stops the read and the server in bounded time (it once hung here), and the next start has every one.
     */
    @Test
    void sigtermWhileTheLocationsLoadStopsCleanlyAndTheNextStartHasThemAll() throws Exception {
        int count = 100_000;
        try (CertwatchServer server = CertwatchServer.prepare("locations-load")) {
            Path file = Files.createDirectories(server.data().resolve("locations")).resolve("locations.log");
            writeLocations(file, count);
            byte[] written = Files.readAllBytes(file);
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));

            server.start().awaitLog(line -> line.contains("locations: reading ") && line.contains("locations.log"),
                    CertwatchServer.START_TIMEOUT);
            long t0 = System.nanoTime();
            int exit = server.stop(Duration.ofSeconds(30));
            System.out.printf("stopped %d ms after SIGTERM during the locations' load, exit %d%n",
                    (System.nanoTime() - t0) / 1_000_000, exit);
            assertEquals(0, exit);
            server.awaitLog(line -> line.contains("certwatch stopped"), Duration.ofSeconds(10));
            assertTrue(server.logContains(line -> line.contains("locations: reading stopped")),
                    "the stop came during the load");
            assertTrue(!server.logContains(line -> line.contains("locations not read")));
            assertArrayEquals(written, Files.readAllBytes(file), "an interrupted load leaves the file as it was");

            server.start().awaitLog(line -> line.contains("locations: " + count + " read from "),
                    Duration.ofSeconds(180));
            String[] lines = server.awaitGogo("certwatch:locations", Duration.ofSeconds(120)).split("\n");
            assertEquals(count, lines.length);
            assertEquals(unwatched(1), lines[0].strip());
            assertEquals(unwatched(count), lines[count - 1].strip());
            assertEquals(0, server.stop(Duration.ofSeconds(30)));
        }
    }

    /** A written location as {@code certwatch:locations} lists it. */
    private static String unwatched(int id) {
        return "location " + id + " lifecycle /srv/certs/" + id + ".pem NOT_WATCHED certificate 0 failures 0";
    }

    /** Locations as a server wrote them: one JSON line each (of a source that is not deployed: NOT_WATCHED). */
    private static void writeLocations(Path file, int count) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int id = 1; id <= count; id++) {
                out.write("{\"id\":" + id + ",\"source\":\"lifecycle\",\"kind\":\"FILE\",\"address\":\"/srv/certs/" + id
                        + ".pem\",\"group\":\"All\",\"state\":\"OK\",\"certificate\":0,\"chain\":[],\"reason\":\"\","
                        + "\"failures\":0,\"firstSeen\":\"2026-03-01T00:00:00Z\",\"lastCheck\":\"2026-03-01T00:00:00Z\","
                        + "\"lastChange\":\"2026-03-01T00:00:00Z\",\"stopped\":false,\"announced\":false,\"history\":["
                        + "{\"certificate\":0,\"fingerprint\":\"" + "ab".repeat(32) + "\",\"from\":\"2026-03-01T00:00:00Z\"}]}\n");
            }
        }
    }

    @Test
    void secondServerOnTheSameDataFolderRefusesToStart() throws Exception {
        try (CertwatchServer first = CertwatchServer.prepare("lock").startAndAwaitReady();
                CertwatchServer second = first.sharingDataFolder()) {
            second.start();
            assertTrue(second.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "second server exits");
            assertNotEquals(0, second.process().exitValue());
            second.awaitLog(line -> line.contains("is in use by another certwatch server")
                    && line.contains(first.data().toString()), Duration.ofSeconds(5));
            assertTrue(first.process().isAlive(), "the first server keeps running");
        }
    }

    @Test
    void badPortInTheEnvironmentIsAClearError() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("badport").env("CERTWATCH_SNMP_PORT", "99999")) {
            server.start();
            assertTrue(server.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertNotEquals(0, server.process().exitValue());
            server.awaitLog(line -> line.contains("CERTWATCH_SNMP_PORT=99999 is not a port number"), Duration.ofSeconds(5));
        }
    }
}
