package org.certwatch.deployer.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipException;

/** Says why a jar in the deploy folder cannot become a bundle, or nothing when it can. */
final class JarDiagnosis {
    private JarDiagnosis() {
    }

    static Optional<String> problem(Path jar) {
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return Optional.of("not an OSGi bundle: the jar has no META-INF/MANIFEST.MF");
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return Optional.of("not an OSGi bundle: the manifest has no Bundle-SymbolicName header");
            }
            return Optional.empty();
        } catch (ZipException e) {
            return Optional.of("corrupt jar: " + e.getMessage());
        } catch (IOException | SecurityException e) {
            return Optional.of("unreadable jar: " + e.getMessage());
        }
    }
}
