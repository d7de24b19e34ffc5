package org.certwatch.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** The test-only bundles, and variants of them made by rewriting manifest headers and resources. */
public final class TestBundles {
    private TestBundles() {
    }

    public static Path probe() {
        return Path.of(System.getProperty("certwatch.testBundles"), "org.certwatch.probe.jar");
    }

    /** Test-only control of the store, notifications, mail settings and monitor (see testing/monitorctl). */
    public static Path monitorControl() {
        return Path.of(System.getProperty("certwatch.testBundles"), "org.certwatch.monitorctl.jar");
    }

    /** Drives the real store, registers groups and hands notices to channels (see its class comment). */
    public static Path storeDriver() {
        return Path.of(System.getProperty("certwatch.testBundles"), "org.certwatch.storedriver.jar");
    }

    /** The source {@code test}: reports what {@code testsource:*} Gogo commands give it (see testing/testsource). */
    public static Path testSource() {
        return Path.of(System.getProperty("certwatch.testBundles"), "org.certwatch.testsource.jar");
    }

    public static Path testClock() {
        return Path.of(System.getProperty("certwatch.testBundles"), "org.certwatch.testclock.jar");
    }

    /** Runs Gogo commands sent to {@code $CERTWATCH_DATA/gogo.port}; see {@link CertwatchServer#gogo}. */
    public static Path gogoBridge() {
        return Path.of(System.getProperty("certwatch.testBundles"), "org.certwatch.testing.gogo.jar");
    }

    /** A copy of any bundle jar with other manifest headers, e.g. to hot-redeploy it as a changed file. */
    public static Path variant(Path source, Path folder, String fileName, Map<String, String> headers)
            throws IOException {
        return rewrite(source, Files.createDirectories(folder).resolve(fileName), headers, null);
    }

    /**
     * A copy of the probe with other manifest headers (a null value removes the header) and another
     * answer text.
     */
    public static Path probeVariant(Path folder, String fileName, Map<String, String> headers, String answer)
            throws IOException {
        return rewrite(probe(), Files.createDirectories(folder).resolve(fileName), headers, answer);
    }

    private static Path rewrite(Path jarFile, Path target, Map<String, String> headers, String answer)
            throws IOException {
        try (JarFile source = new JarFile(jarFile.toFile())) {
            Manifest manifest = new Manifest(source.getManifest());
            Attributes main = manifest.getMainAttributes();
            headers.forEach((name, value) -> {
                if (value == null) {
                    main.remove(new Attributes.Name(name));
                } else {
                    main.putValue(name, value);
                }
            });
            try (OutputStream file = Files.newOutputStream(target);
                    JarOutputStream jar = new JarOutputStream(file, manifest)) {
                Enumeration<JarEntry> entries = source.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (entry.getName().equals(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(entry.getName()));
                    if (entry.getName().equals("probe-answer.txt") && answer != null) {
                        jar.write(answer.getBytes(StandardCharsets.UTF_8));
                    } else {
                        try (InputStream in = source.getInputStream(entry)) {
                            in.transferTo(jar);
                        }
                    }
                    jar.closeEntry();
                }
            }
        }
        return target;
    }
}
