package org.certwatch.deployer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarDiagnosisTest {
    @TempDir
    Path folder;

    private Path jar(String name, String symbolicName) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (symbolicName != null) {
            manifest.getMainAttributes().putValue("Bundle-SymbolicName", symbolicName);
        }
        Path file = folder.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
        return file;
    }

    @Test
    void aBundleHasNoProblem() throws Exception {
        assertEquals(Optional.empty(), JarDiagnosis.problem(jar("ok.jar", "org.example.ok")));
    }

    @Test
    void plainJarAndGarbageAreNamed() throws Exception {
        assertEquals(Optional.of("not an OSGi bundle: the manifest has no Bundle-SymbolicName header"),
                JarDiagnosis.problem(jar("plain.jar", null)));
        Path garbage = folder.resolve("garbage.jar");
        Files.write(garbage, new byte[] {1, 2, 3, 4, 5});
        assertTrue(JarDiagnosis.problem(garbage).orElseThrow().startsWith("corrupt jar: "));
    }
}
