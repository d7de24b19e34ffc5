package org.certwatch.itests;

import java.nio.file.Files;
import java.time.Duration;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;

/**
 * The web tests' users, created in the real fleet through Gogo: {@code alice} (All/Berlin) and
 * {@code bob} (All/Hamburg) in sibling groups with certificate and computer permissions,
 * {@code reader} (All/Berlin, read only) and {@code root} (All, every permission); password = user
 * name + "-password" ({@link WebClient#basic}).
 */
final class WebUsers {
    static final String WORKER = "CERTIFICATES_READ,CERTIFICATES_USE,CERTIFICATES_WRITE,COMPUTERS_READ,COMPUTERS_WRITE";

    private WebUsers() {
    }

    /**
     * Cheaper password hashes for the tests' many HTTP Basic requests (the fleet's minimum, 10,000
     * PBKDF2 iterations); call before the server starts.
     */
    static void fastPasswords(CertwatchServer server) throws Exception {
        Files.writeString(server.etc().resolve("org.certwatch.fleet.cfg"), "password.iterations=10000\n");
    }

    static void create(CertwatchServer server) throws Exception {
        CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
        server.awaitGogo("certwatch:groups", Duration.ofSeconds(90));
        for (String group : new String[] {"All/Berlin", "All/Hamburg"}) {
            expect(server.gogo("certwatch:group-add " + group), "created group");
        }
        expect(server.gogo("certwatch:user-add alice All/Berlin " + WORKER + " --password-file "
                + server.passwordFile("alice-password")), "created user");
        expect(server.gogo("certwatch:user-add bob All/Hamburg " + WORKER + " --password-file "
                + server.passwordFile("bob-password")), "created user");
        expect(server.gogo("certwatch:user-add reader All/Berlin CERTIFICATES_READ,COMPUTERS_READ --password-file "
                + server.passwordFile("reader-password")),
                "created user");
        expect(server.gogo("certwatch:user-add root All all --password-file " + server.passwordFile("root-password")),
                "created user");
    }

    private static void expect(String answer, String prefix) {
        if (!answer.startsWith(prefix)) {
            throw new AssertionError("gogo answered: " + answer);
        }
    }
}
