package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, files: the real distribution with the {@code files} feature watches folders under the test's own
 * folder holding PEM, DER, PKCS#12 and JKS made by openssl and keytool (the real peers); a replaced file gets a
 * successor, a removed one is GONE, a wrong password is FAILING with its reason, the watches survive SIGKILL, and
 * undeploying the feature leaves its locations NOT_WATCHED with their certificates.
 */
class FilesIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** {@code certwatch:files locations}: id, state, address, certificate id, then the failure if any. */
    private static final String LOCATION = "(?m)^(\\d+) (\\w+) %s certificate=(\\d+)(.*)$";

    private static String openssl(Path dir, String... args) throws Exception {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        return WebClient.run(dir, command).strip();
    }

    /** A P-256 leaf of the CA in {@code dir}, its key in NAME.key. */
    private static Path leaf(Path dir, String name) throws Exception {
        openssl(dir, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                name + ".key", "-subj", "/CN=" + name + ".files.example", "-out", name + ".csr");
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-days", "30",
                "-out", name + ".pem");
        return dir.resolve(name + ".pem");
    }

    /** The location line of {@code address}, once it matches {@code state}. */
    private static Matcher awaitLocation(CertwatchServer server, Path address, String state) {
        Pattern line = Pattern.compile(String.format(LOCATION, Pattern.quote(address.toString())));
        Matcher[] found = new Matcher[1];
        CertwatchServer.await(address + " " + state, WAIT, () -> {
            try {
                Matcher m = line.matcher(server.gogo("certwatch:files locations"));
                if (m.find() && m.group(2).equals(state)) {
                    found[0] = m;
                    return true;
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return found[0];
    }

    @Test
    void watchedFilesAndKeystoresFollowTheDiskAndOutliveTheirFeature() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("files").env("CERTWATCH_KEY_PASSWORD", "it-key-password")) {
            Path tls = Files.createDirectories(server.data().getParent().resolve("tls"));
            Path certs = Files.createDirectories(tls.resolve("certs"));
            Path stores = Files.createDirectories(tls.resolve("stores"));
            Path locked = Files.createDirectories(tls.resolve("locked"));
            CertwatchServer.writeAtomically(server.etc().resolve("org.certwatch.source.files.cfg"),
                    "allowed.roots=" + tls + "\n");
            server.startAndAwaitReady();
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            server.awaitGogo("certwatch:files list", WAIT);

            Path work = Files.createDirectories(tls.getParent().resolve("openssl"));
            openssl(work, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=Files CA", "-days", "365", "-addext",
                    "basicConstraints=critical,CA:TRUE");
            Path site = leaf(work, "site");
            Files.writeString(certs.resolve("site.pem"), Files.readString(site) + Files.readString(work.resolve("ca.pem")));
            openssl(work, "x509", "-in", leaf(work, "der").toString(), "-outform", "DER", "-out",
                    certs.resolve("der.crt").toString());
            openssl(work, "pkcs12", "-export", "-in", leaf(work, "p12").toString(), "-inkey", "p12.key", "-name", "web",
                    "-certfile", "ca.pem", "-passout", "pass:store-secret", "-out", stores.resolve("site.p12").toString());
            WebClient.run(work, "keytool", "-importkeystore", "-srckeystore", stores.resolve("site.p12").toString(),
                    "-srcstoretype", "PKCS12", "-srcstorepass", "store-secret", "-destkeystore",
                    stores.resolve("site.jks").toString(), "-deststoretype", "JKS", "-deststorepass", "store-secret");
            Files.copy(stores.resolve("site.p12"), locked.resolve("other.p12"));

            assertTrue(server.gogo("certwatch:files watch " + tls.getParent() + "/elsewhere").startsWith("refused: "));
            assertTrue(server.gogo("certwatch:files watch " + certs + " All").startsWith("1 " + certs));
            assertTrue(server.gogo("certwatch:files watch " + stores + " All --password-file " + server.passwordFile("store-secret")).contains("password=set"));
            server.gogo("certwatch:files watch " + locked + " All --password-file " + server.passwordFile("not-the-password"));

            Matcher pem = awaitLocation(server, certs.resolve("site.pem"), "OK");
            awaitLocation(server, certs.resolve("der.crt"), "OK");
            awaitLocation(server, Path.of(stores + "/site.p12#web"), "OK");
            awaitLocation(server, Path.of(stores + "/site.jks#web"), "OK");
            Matcher wrong = awaitLocation(server, Path.of(locked + "/other.p12"), "FAILING");
            assertEquals(" WRONG_PASSWORD: " + locked.resolve("other.p12") + ": the password does not open this PKCS#12 file (or the file is damaged)",
                    wrong.group(4));
            assertFalse(Files.readString(server.data().resolve("files/watches.json")).contains("store-secret"));

            // a renewed certificate replaces the file: the location holds its successor
            String oldCertificate = pem.group(3);
            Path renewed = leaf(work, "site");
            Path next = certs.resolve(".site.next");
            Files.writeString(next, Files.readString(renewed));
            Files.move(next, certs.resolve("site.pem"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            CertwatchServer.await("site.pem holds its successor", WAIT, () -> {
                Matcher m = awaitLocation(server, certs.resolve("site.pem"), "OK");
                return !m.group(3).equals(oldCertificate);
            });
            // a removed file: its location is gone
            Files.delete(certs.resolve("der.crt"));
            awaitLocation(server, certs.resolve("der.crt"), "GONE");

            // the watches survive a kill
            Faults.kill(server);
            Faults.restart(server);
            String watches = server.awaitGogo("certwatch:files list", WAIT);
            assertEquals(3, watches.lines().count(), watches);
            Matcher kept = awaitLocation(server, Path.of(stores + "/site.jks#web"), "OK");

            // undeploying the feature keeps what it observed, marked as not watched (the registry's own command)
            Files.delete(server.deploy().resolve("files.feature.xml"));
            String notWatched = "files " + stores + "/site.jks#web NOT_WATCHED certificate " + kept.group(3) + " ";
            CertwatchServer.await("site.jks#web NOT_WATCHED", WAIT, () -> {
                try {
                    return server.gogo("certwatch:locations").contains(notWatched);
                } catch (Exception e) {
                    return false;
                }
            });
        }
    }
}
