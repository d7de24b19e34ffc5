package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * The release archive as an admin uses it: unpacked anywhere and started from its {@code bin/}, its
 * systemd unit checked by {@code systemd-analyze verify}, and an upgrade to a second archive of a
 * higher version (made here from the first by rewriting the version, no second build) that keeps the
 * data, the configuration, the admin's drop-ins and the credentials, moves a key password still kept
 * in {@code initial-credentials} (as older installations did) out of the data folder, and leaves both
 * releases untouched.
 */
class ReleaseArchiveIT {
    private static final String NEXT_VERSION = "9.9.9";

    private static Path work(String name) throws IOException {
        return Files.createDirectories(Path.of(System.getProperty("certwatch.workRoot", "target/it-work"))
                .resolve(name + "-" + System.nanoTime()));
    }

    private static Path archive() {
        Path archive = Path.of(System.getProperty("certwatch.archive"));
        assertTrue(Files.isRegularFile(archive), "the build makes the release archive " + archive);
        return archive;
    }

    @Test
    void theServiceUnitPassesSystemdAnalyzeVerify() throws Exception {
        Path work = work("unit");
        Path home = unpack(archive(), work.resolve("opt"));
        String unit = Files.readString(home.resolve("systemd/certwatch.service"));
        for (String line : List.of("User=certwatch", "ProtectSystem=strict", "ReadWritePaths=/var/lib/certwatch /etc/certwatch",
                "NoNewPrivileges=yes", "PrivateTmp=yes", "Environment=CERTWATCH_DATA=/var/lib/certwatch/data",
                "Environment=CERTWATCH_ETC=/etc/certwatch", "Environment=CERTWATCH_DEPLOY=/var/lib/certwatch/deploy")) {
            assertTrue(unit.lines().anyMatch(line::equals), "the unit has " + line);
        }
        // verify checks that ExecStart is executable: point it at the unpacked release
        Path copy = work.resolve("certwatch.service");
        Files.writeString(copy, unit.replace("ExecStart=/opt/certwatch/current/bin/certwatch",
                "ExecStart=" + home.resolve("bin/certwatch")));
        Result verify = run(work, "systemd-analyze", "verify", copy.toString());
        assertEquals(0, verify.exit(), verify.output());
        assertEquals("", verify.output(), "no warning: an unknown or misspelt key is only a warning");
    }

    /**
     * The enrolment page tells the admin to run {@code certwatch agent} on each computer: the release carries
     * the agent, and {@code bin/certwatch} with an unknown command says so instead of starting a server on
     * the default folders and ports of the working folder.
     */
    @Test
    void theReleaseRunsTheAgentAndRefusesAnUnknownCommand() throws Exception {
        Path work = work("commands");
        Path home = unpack(archive(), work.resolve("opt"));
        Path token = Files.writeString(work.resolve("enrolment-token"), "cwt1.not-a-token");
        Result agent = run(work, home.resolve("bin/certwatch").toString(), "agent", "--server", "127.0.0.1:1",
                "--data", work.resolve("agent-data").toString(), "--token-file", token.toString());
        assertEquals(2, agent.exit(), agent.output());
        assertTrue(agent.output().startsWith("certwatch agent: malformed enrolment token"), agent.output());

        Result unknown = run(work, home.resolve("bin/certwatch").toString(), "ready");
        assertEquals(2, unknown.exit(), unknown.output());
        assertTrue(unknown.output().startsWith("certwatch: unknown command 'ready'\nusage: certwatch"), unknown.output());
        assertFalse(Files.exists(work.resolve("data")) || Files.exists(work.resolve("etc")), "no server started there");
    }

    @Test
    void anUpgradeKeepsDataConfigurationDropInsAndCredentials() throws Exception {
        Path work = work("upgrade");
        Path first = unpack(archive(), work.resolve("opt"));
        Path next = unpack(nextVersion(first, work.resolve("build")), work.resolve("opt"));
        Map<String, String> firstRelease = snapshot(first);
        Map<String, String> nextRelease = snapshot(next);
        Path data = work.resolve("var/data");

        String certificates;
        String newAdminPassword = "upgraded-admin-password";
        CertwatchServer server = CertwatchServer.ofRelease(first, data);
        Files.createDirectories(server.deploy());
        CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
        try (server) {
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("agent endpoint listening"), Duration.ofSeconds(120));
            assertTrue(Files.readString(server.etc().resolve("org.certwatch.web.cfg")).startsWith("# certwatch web"),
                    "the first start writes commented samples from the metatype");
            assertFalse(server.logContains(line -> line.contains("ERROR") && line.contains(server.etc().toString())),
                    "the samples are valid configuration");
            server.awaitGogo("certwatch:issue 1 agent upgrade.example.org 100", Duration.ofSeconds(60));
            certificates = server.gogo("certwatch:list");
            assertTrue(certificates.contains("upgrade.example.org"), certificates);
            Path credentials = server.data().resolve("initial-credentials");
            assertTrue(Files.readString(credentials).contains("CERTWATCH_ADMIN_PASSWORD="));
            server.gogo("certwatch:user-password admin --password-file " + server.passwordFile(newAdminPassword));
            assertFalse(Files.readString(credentials).contains("CERTWATCH_ADMIN_PASSWORD"),
                    "a changed admin password leaves initial-credentials");
            assertEquals(0, server.stop(Duration.ofSeconds(60)));
        }
        // the admin's configuration: one sample edited, one file of their own
        Path webCfg = server.etc().resolve("org.certwatch.web.cfg");
        Files.writeString(webCfg, Files.readString(webCfg).replace("#session.idle.minutes = 30", "session.idle.minutes = 45"));
        Files.writeString(server.etc().resolve("org.certwatch.store.cfg"), "ca.validity.days = 60\n");
        Map<String, String> etc = snapshot(server.etc());
        byte[] dropIn = Files.readAllBytes(server.deploy().resolve("gogo-bridge.jar"));
        String keyPassword = Files.readString(server.etc().resolve("key-password"));
        String credentials = Files.readString(server.data().resolve("initial-credentials"));
        // as an installation made before the key password left the data folder keeps it
        Files.delete(server.etc().resolve("key-password"));
        Files.writeString(server.data().resolve("initial-credentials"), credentials + "CERTWATCH_KEY_PASSWORD=" + keyPassword);
        assertEquals(firstRelease, snapshot(first), "the release is only read at run time");

        CertwatchServer upgraded = server.withRelease(next);
        try (upgraded) {
            upgraded.startAndAwaitReady();
            upgraded.awaitLog(line -> line.contains("key password moved from " + upgraded.data().resolve("initial-credentials")
                    + " to " + upgraded.etc().resolve("key-password")), Duration.ofSeconds(5));
            assertFalse(upgraded.logContains(line -> line.contains(keyPassword.strip())), "the value is never logged");
            upgraded.awaitLog(line -> line.contains("feature core upgraded from") && line.contains(" to " + NEXT_VERSION),
                    Duration.ofSeconds(5));
            upgraded.awaitLog(line -> line.contains("certificate store ready")
                    && line.contains("key password from file " + upgraded.etc().resolve("key-password")), Duration.ofSeconds(120));
            upgraded.awaitLog(line -> line.contains("agent endpoint listening"), Duration.ofSeconds(120));
            String bundles = upgraded.awaitGogo("lb -s", Duration.ofSeconds(60));
            assertTrue(bundles.contains("org.certwatch.store (" + NEXT_VERSION + ")"), bundles);
            assertTrue(bundles.contains("org.certwatch.testing.gogo ("), "the admin's drop-in runs: " + bundles);
            assertEquals(certificates, upgraded.gogo("certwatch:list"), "the data");
            assertEquals(200, status(upgraded, "admin", newAdminPassword), "the changed admin password");
            assertEquals(401, status(upgraded, "admin", "not-the-password"));
            assertEquals(0, upgraded.stop(Duration.ofSeconds(60)));
        }
        assertEquals(etc, snapshot(upgraded.etc()), "the configuration");
        assertArrayEquals(dropIn, Files.readAllBytes(upgraded.deploy().resolve("gogo-bridge.jar")), "the drop-in");
        assertEquals(keyPassword, Files.readString(upgraded.etc().resolve("key-password")));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(upgraded.etc().resolve("key-password")));
        assertEquals(credentials, Files.readString(upgraded.data().resolve("initial-credentials")));
        assertEquals(nextRelease, snapshot(next), "the new release is only read too");
        assertEquals(firstRelease, snapshot(first), "the old release stays for a rollback");
    }

    /** HTTP status of an authenticated API call with curl (a real client). */
    private static int status(CertwatchServer server, String user, String password) throws Exception {
        Result curl = run(server.data().getParent(), "curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-u",
                user + ":" + password, "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT") + "/api/v1/cas");
        return Integer.parseInt(curl.output().strip());
    }

    private static Path unpack(Path archive, Path into) throws Exception {
        Files.createDirectories(into);
        Result tar = run(into, "tar", "xzf", archive.toString(), "-C", into.toString());
        assertEquals(0, tar.exit(), tar.output());
        String name = archive.getFileName().toString().replace(".tar.gz", "");
        Path home = into.resolve(name);
        assertTrue(Files.isExecutable(home.resolve("bin/certwatch")), "the archive unpacks into " + name + "/");
        return home;
    }

    /**
     * The archive of a higher version, from the same sources: a copy of the release whose feature
     * descriptors and plugin bundles say {@value #NEXT_VERSION}, packed as {@code tar} packs a release.
     */
    private static Path nextVersion(Path release, Path build) throws Exception {
        String version = release.getFileName().toString().substring("certwatch-".length());
        String osgiVersion = version.replace('-', '.');
        Path next = Files.createDirectories(build).resolve("certwatch-" + NEXT_VERSION);
        Result copy = run(build, "cp", "-a", release.toString(), next.toString());
        assertEquals(0, copy.exit(), copy.output());
        try (Stream<Path> features = Files.list(next.resolve("features"))) {
            for (Path feature : features.toList()) {
                Files.writeString(feature, Files.readString(feature).replace(osgiVersion, NEXT_VERSION));
            }
        }
        try (Stream<Path> jars = Files.list(next.resolve("repository"))) {
            // certwatch's own plugins; third-party ones (the postgresql feature's driver and pool) keep their version
            for (Path jar : jars.filter(j -> j.getFileName().toString().endsWith("_" + osgiVersion + ".jar")).toList()) {
                String name = jar.getFileName().toString().replace("_" + osgiVersion + ".jar", "_" + NEXT_VERSION + ".jar");
                withBundleVersion(jar, jar.resolveSibling(name), NEXT_VERSION);
                Files.delete(jar);
            }
        }
        Path archive = build.resolve("certwatch-" + NEXT_VERSION + ".tar.gz");
        Result tar = run(build, "tar", "czf", archive.toString(), "-C", build.toString(), next.getFileName().toString());
        assertEquals(0, tar.exit(), tar.output());
        return archive;
    }

    private static void withBundleVersion(Path jar, Path target, String version) throws IOException {
        try (InputStream file = Files.newInputStream(jar); JarInputStream in = new JarInputStream(file)) {
            Manifest manifest = in.getManifest();
            manifest.getMainAttributes().putValue("Bundle-Version", version);
            try (OutputStream out = Files.newOutputStream(target); JarOutputStream copy = new JarOutputStream(out, manifest)) {
                for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
                    copy.putNextEntry(new JarEntry(entry.getName()));
                    in.transferTo(copy);
                    copy.closeEntry();
                }
            }
        }
    }

    /** Every file under a folder with its size and modification time (contents for small text files). */
    private static Map<String, String> snapshot(Path folder) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                String name = path.getFileName().toString();
                String what = name.endsWith(".cfg") || name.endsWith(".xml") || name.equals("key-password")
                        ? Files.readString(path)
                        : Files.size(path) + "@" + Files.getLastModifiedTime(path).toMillis();
                files.put(folder.relativize(path).toString(), what);
            }
        }
        return files;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Path directory, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " ends");
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
