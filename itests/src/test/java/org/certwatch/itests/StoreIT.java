package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/** The certificate store inside the real server: its state survives a hot redeploy of its bundle and a restart. */
class StoreIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern ISSUED = Pattern.compile("issued certificate (\\d+) AGENT .* sha256 ([0-9a-f]{64})");

    @Test
    void certificatesSurviveARedeployOfTheStoreBundleAndARestart() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("store").env("CERTWATCH_KEY_PASSWORD", "it-key-password")
                .startAndAwaitReady()) {
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            String cas = server.awaitGogo("certwatch:ca-list", WAIT);
            assertTrue(cas.startsWith("CA 1 "), "first start created the initial CA: " + cas);
            String firstList = server.awaitGogo("certwatch:list", WAIT);
            assertTrue(firstList.contains(" SERVER host * "), "first start issued the server certificate: " + firstList);

            Matcher issued = ISSUED.matcher(server.gogo("certwatch:issue 1 agent pc-17.example.org 100"));
            assertTrue(issued.find());
            String id = issued.group(1);
            String fingerprint = issued.group(2);
            server.gogo("certwatch:revoke " + id + " keyCompromise");
            String before = server.gogo("certwatch:list");
            assertTrue(before.contains("certificate " + id + " AGENT host pc-17.example.org") && before.contains("REVOKED"), before);

            // a changed jar (one extra header) makes FileInstall update the bundle in place
            Path storeJar = server.deploy().resolve("org.certwatch.store.jar");
            Path changed = TestBundles.variant(storeJar, server.data().getParent().resolve("variants"),
                    "store.jar", Map.of("X-Redeployed", "1"));
            CertwatchServer.placeAtomically(changed, storeJar);
            server.awaitLog(line -> line.contains("Updating bundle org.certwatch.store"), WAIT);
            assertEquals(before, server.awaitGogo("certwatch:list", WAIT), "same certificates after the redeploy");

            assertEquals(0, server.stop(Duration.ofSeconds(30)));
            server.start().awaitLog(line -> line.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            assertEquals(before, server.awaitGogo("certwatch:list", WAIT), "same certificates after a restart");
            assertTrue(server.gogo("certwatch:list").contains("sha256 " + fingerprint));

            Path p12 = server.data().getParent().resolve("server.p12");
            String exported = server.gogo("certwatch:export 2 p12 " + p12 + " --password-file "
                    + server.passwordFile("export-secret"));
            assertTrue(Files.size(p12) > 0, exported);
            assertTrue(server.output().stream().noneMatch(line -> line.contains(" ERROR ")),
                    "no errors in the log");
        }
    }
}
