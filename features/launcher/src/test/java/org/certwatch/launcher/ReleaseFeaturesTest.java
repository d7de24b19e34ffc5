package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReleaseFeaturesTest {
    @TempDir
    Path root;

    /** A release of this version with the features core (bundle a) and mail (bundle m). */
    private Path release(String version) throws Exception {
        Path home = root.resolve("certwatch-" + version);
        Files.createDirectories(home.resolve("features"));
        Files.writeString(home.resolve("features/core.feature.xml"), "<feature id=\"core\" version=\"" + version
                + "\"><plugin id=\"a\" version=\"" + version + "\"/></feature>");
        Files.writeString(home.resolve("features/mail.feature.xml"), "<feature id=\"mail\" version=\"" + version
                + "\"><plugin id=\"m\" version=\"" + version + "\"/></feature>");
        TestJars.bundle(home.resolve("repository/a_" + version + ".jar"), "a", version, Map.of());
        TestJars.bundle(home.resolve("repository/m_" + version + ".jar"), "m", version, Map.of());
        return home;
    }

    private List<String> update(Path home, Path deploy) {
        return update(home, deploy, Set.of());
    }

    private List<String> update(Path home, Path deploy, Set<String> withheld) {
        return ReleaseFeatures.update(home.resolve("features"), home.resolve("repository"), deploy, withheld);
    }

    private static String version(Path jar) throws Exception {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Bundle-Version");
        }
    }

    @Test
    void aNewerReleaseReplacesItsOwnAndLeavesTheAdminsAlone() throws Exception {
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        Path old = release("1.0.0");
        assertEquals(List.of("deployed feature core 1.0.0", "deployed feature mail 1.0.0"), update(old, deploy));
        // the feature installer copies the plugins at run time; the admin drops a bundle and a newer m
        Files.copy(old.resolve("repository/a_1.0.0.jar"), deploy.resolve("a.jar"));
        TestJars.bundle(deploy.resolve("m.jar"), "m", "2.5.0", Map.of());
        TestJars.bundle(deploy.resolve("own.jar"), "own", "0.0.1", Map.of());
        Files.writeString(deploy.resolve("own.feature.xml"), "<feature id=\"own\" version=\"0.1\"/>");

        Path next = release("2.0.0");
        assertEquals(List.of("feature core upgraded from 1.0.0 to 2.0.0", "bundle a upgraded from 1.0.0 to 2.0.0",
                "feature mail upgraded from 1.0.0 to 2.0.0"), update(next, deploy));
        assertEquals("2.0.0", version(deploy.resolve("a.jar")));
        assertEquals("2.5.0", version(deploy.resolve("m.jar")), "the admin's newer bundle stays");
        assertEquals("0.0.1", version(deploy.resolve("own.jar")));
        assertTrue(Files.readString(deploy.resolve("own.feature.xml")).contains("own"));
        assertTrue(Files.readString(deploy.resolve("core.feature.xml")).contains("version=\"2.0.0\""));
        assertEquals(List.of(), update(next, deploy), "nothing left to do");
    }

    @Test
    void aFeatureTheAdminTookOutStaysOut() throws Exception {
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        update(release("1.0.0"), deploy);
        Files.delete(deploy.resolve("mail.feature.xml"));
        assertEquals(List.of("feature core upgraded from 1.0.0 to 2.0.0"), update(release("2.0.0"), deploy));
        assertFalse(Files.exists(deploy.resolve("mail.feature.xml")));
        assertEquals(List.of("core", "mail"), Files.readAllLines(deploy.resolve(ReleaseFeatures.RECORD)));
    }

    @Test
    void aWithheldFeatureIsNotPlacedAndTakenOutIfAnEarlierStartPlacedIt() throws Exception {
        Path deploy = Files.createDirectories(root.resolve("deploy"));
        Path home = release("1.0.0");
        assertEquals(List.of("deployed feature core 1.0.0"), update(home, deploy, Set.of("mail")));
        assertFalse(Files.exists(deploy.resolve("mail.feature.xml")));
        assertEquals(List.of("deployed feature mail 1.0.0"), update(home, deploy, Set.of()), "chosen: placed");
        Files.copy(home.resolve("repository/m_1.0.0.jar"), deploy.resolve("m.jar")); // as the feature installer does
        Files.copy(home.resolve("repository/a_1.0.0.jar"), deploy.resolve("a.jar"));
        assertEquals(List.of("withdrew feature mail (not chosen)"), update(home, deploy, Set.of("mail")));
        assertFalse(Files.exists(deploy.resolve("mail.feature.xml")));
        assertFalse(Files.exists(deploy.resolve("m.jar")), "its plugin goes with it");
        assertTrue(Files.exists(deploy.resolve("a.jar")), "core's plugin stays");
        assertEquals(List.of("core"), Files.readAllLines(deploy.resolve(ReleaseFeatures.RECORD)));
        assertEquals(List.of("deployed feature mail 1.0.0"), update(home, deploy, Set.of()), "chosen again: placed again");
    }
}
