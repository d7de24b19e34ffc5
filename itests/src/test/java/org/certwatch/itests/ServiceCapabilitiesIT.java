package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Services published by Declarative Services are declared in the bundle's manifest
 * ({@code Provide-Capability: osgi.service}), so the resolver and {@code scr:info} can say who
 * provides what; services registered by hand are not.
 */
class ServiceCapabilitiesIT {
    private static final Path REPOSITORY = Path.of(System.getProperty("certwatch.distribution")).resolve("repository");

    @Test
    void monitorDeclaresItsServices() throws IOException {
        assertProvides("org.certwatch.monitor", List.of("org.certwatch.api.monitor.ExpiryMonitor",
                "org.certwatch.api.notify.NotificationService", "org.certwatch.api.metrics.MetricSource",
                "org.osgi.service.event.EventHandler"));
    }

    @Test
    void snmpDeclaresItsServices() throws IOException {
        assertProvides("org.certwatch.snmp", List.of("org.certwatch.api.snmp.SnmpSettingsService",
                "org.certwatch.api.metrics.MetricSource", "org.certwatch.api.notify.NotificationChannel",
                "org.osgi.service.event.EventHandler"));
    }

    private static void assertProvides(String bundle, List<String> services) throws IOException {
        String provided;
        Path jar;
        try (Stream<Path> jars = Files.list(REPOSITORY)) {
            jar = jars.filter(path -> path.getFileName().toString().startsWith(bundle + "_")).findFirst().orElseThrow();
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            provided = String.valueOf(file.getManifest().getMainAttributes().getValue("Provide-Capability"));
        }
        for (String service : services) {
            assertTrue(provided.contains("osgi.service;objectClass:List<String>=\"" + service + "\""),
                    jar + " declares no osgi.service capability for " + service + ": " + provided);
        }
    }
}
