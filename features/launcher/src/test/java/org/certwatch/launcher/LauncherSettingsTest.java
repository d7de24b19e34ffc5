package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherSettingsTest {
    private final Path home = Path.of("/opt/certwatch");
    private final Path cwd = Path.of("/work");

    @Test
    void defaults() {
        LauncherSettings settings = LauncherSettings.from(Map.of(), home, cwd);
        assertEquals(Path.of("/work/data"), settings.data());
        // configuration and drop-ins beside the data folder, never inside the release
        assertEquals(Path.of("/work/deploy"), settings.deploy());
        assertEquals(Path.of("/work/etc"), settings.etc());
        assertEquals(Path.of("/opt/certwatch/features"), settings.features());
        assertEquals("0.0.0.0", settings.bind());
        assertEquals(1161, settings.snmpPort());
        assertEquals(8443, settings.httpsPort());
        assertEquals(2222, settings.agentPort());
    }

    @Test
    void environmentOverridesAndRelativePathsResolveAgainstTheWorkingDirectory() {
        LauncherSettings settings = LauncherSettings.from(Map.of("CERTWATCH_DATA", "state", "CERTWATCH_DEPLOY",
                "/srv/deploy", "CERTWATCH_SNMP_PORT", "16100", "CERTWATCH_BIND", "127.0.0.1"), home, cwd);
        assertEquals(Path.of("/work/state"), settings.data());
        assertEquals(Path.of("/srv/deploy"), settings.deploy());
        assertEquals(Path.of("/work/etc"), settings.etc(), "beside the data folder");
        assertEquals(16100, settings.snmpPort());
        assertEquals("127.0.0.1", settings.bind());
    }

    @Test
    void etcAndDeployFollowTheDataFolderUnlessSet() {
        LauncherSettings settings = LauncherSettings.from(Map.of("CERTWATCH_DATA", "/var/lib/certwatch/data",
                "CERTWATCH_ETC", "/etc/certwatch"), home, cwd);
        assertEquals(Path.of("/etc/certwatch"), settings.etc());
        assertEquals(Path.of("/var/lib/certwatch/deploy"), settings.deploy());
    }

    @Test
    void badPortNamesTheVariable() {
        assertEquals("CERTWATCH_HTTPS_PORT=https is not a port number (0-65535)", assertThrows(LauncherException.class,
                () -> LauncherSettings.from(Map.of("CERTWATCH_HTTPS_PORT", "https"), home, cwd)).getMessage());
        assertThrows(LauncherException.class, () -> LauncherSettings.from(Map.of("CERTWATCH_AGENT_PORT", "70000"), home, cwd));
    }
}
