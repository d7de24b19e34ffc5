package org.certwatch.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureInstallerTest {
    @TempDir
    Path root;
    Path repository;
    Path deploy;
    FeatureInstaller installer;

    @BeforeEach
    void setUp() throws Exception {
        repository = Files.createDirectories(root.resolve("repository"));
        deploy = Files.createDirectories(root.resolve("deploy"));
        Files.writeString(repository.resolve("a_1.jar"), "jar a");
        Files.writeString(repository.resolve("b_1.jar"), "jar b");
        installer = new FeatureInstaller(repository, deploy);
    }

    private Path feature(String name, String... plugins) throws Exception {
        StringBuilder xml = new StringBuilder("<feature id=\"" + name + "\" version=\"1\">");
        for (String plugin : plugins) {
            xml.append("<plugin id=\"").append(plugin).append("\" version=\"1\"/>");
        }
        Path file = deploy.resolve(name + ".feature.xml");
        Files.writeString(file, xml.append("</feature>"));
        return file;
    }

    @Test
    void handlesOnlyFeatureFiles() {
        assertTrue(installer.canHandle(deploy.resolve("core.feature.xml").toFile()));
        assertFalse(installer.canHandle(deploy.resolve("core.jar").toFile()));
        assertFalse(installer.canHandle(deploy.resolve("feature.xml.bak").toFile()));
    }

    @Test
    void copiesPluginsAndRemovesOnlyThoseNoOtherFeatureNeeds() throws Exception {
        Path first = feature("first", "a", "b");
        Path second = feature("second", "b");
        installer.install(first.toFile());
        installer.install(second.toFile());
        assertArrayEquals(Files.readAllBytes(repository.resolve("a_1.jar")), Files.readAllBytes(deploy.resolve("a.jar")));
        assertTrue(Files.exists(deploy.resolve("b.jar")));

        installer.uninstall(first.toFile());
        assertFalse(Files.exists(deploy.resolve("a.jar")));
        assertTrue(Files.exists(deploy.resolve("b.jar")), "still listed by 'second'");

        installer.uninstall(second.toFile());
        assertFalse(Files.exists(deploy.resolve("b.jar")));
    }

    @Test
    void keepsAJarAnAdminAlreadyDeployed() throws Exception {
        Files.writeString(deploy.resolve("a.jar"), "newer a");
        installer.install(feature("first", "a").toFile());
        assertTrue(Files.readString(deploy.resolve("a.jar")).equals("newer a"));
    }

    @Test
    void updateRemovesPluginsDroppedFromTheFeature() throws Exception {
        Path file = feature("first", "a", "b");
        installer.install(file.toFile());
        feature("first", "b");
        installer.update(file.toFile());
        assertFalse(Files.exists(deploy.resolve("a.jar")));
        assertTrue(Files.exists(deploy.resolve("b.jar")));
    }

    @Test
    void malformedOrIncompleteFeaturesChangeNothing() throws Exception {
        Path broken = deploy.resolve("broken.feature.xml");
        Files.writeString(broken, "<feature id=");
        installer.install(broken.toFile());
        installer.install(feature("missing", "not-in-repository").toFile());
        try (var files = Files.list(deploy)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".jar")));
        }
    }
}
