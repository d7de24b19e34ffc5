package org.certwatch.snmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.certwatch.api.snmp.SnmpTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Managed targets: checked against the configuration, stored 0600, communities write-only. */
class SnmpSettingsTest {
    @TempDir
    Path dir;

    private SnmpSettings settings(ManagedTargets file) {
        SnmpConfiguration config = AgentSettingsTest.config(null, null, new String[] {"nms.example.org:162,v3,inform,certwatch"});
        return new SnmpSettings(file, () -> null,
                entries -> AgentSettings.from(config, "127.0.0.1", 1161, AgentSettingsTest.MAIN, entries),
                (entries, actor) -> file.write(entries));
    }

    @Test
    void targetsAreStoredWithTheirCommunityButShownWithout() throws Exception {
        ManagedTargets file = new ManagedTargets(dir.resolve("snmp/targets"));
        SnmpSettings s = settings(file);
        s.setTargets(List.of(new SnmpTarget("10.0.0.5", 162, "v2c", false, "secret-community", true),
                new SnmpTarget("::1", 1162, "v3", true, "certwatch", true)), "admin");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("snmp/targets"))));
        assertEquals(List.of("10.0.0.5:162,v2c,trap,secret-community", "[::1]:1162,v3,inform,certwatch"), file.read());
        List<SnmpTarget> shown = s.targets();
        assertEquals(3, shown.size());
        assertFalse(shown.get(0).managed(), "the configuration's target comes first, read only");
        assertNull(shown.get(1).credential(), "a community is never shown");
        assertEquals("certwatch", shown.get(2).credential());
        assertTrue(shown.get(2).managed() && shown.get(2).inform());

        // a v2c target saved without its community keeps the stored one
        s.setTargets(List.of(new SnmpTarget("10.0.0.5", 162, "v2c", true, null, true)), "admin");
        assertEquals(List.of("10.0.0.5:162,v2c,inform,secret-community"), file.read());
    }

    @Test
    void badTargetsChangeNothing() throws Exception {
        ManagedTargets file = new ManagedTargets(dir.resolve("snmp/targets"));
        SnmpSettings s = settings(file);
        s.setTargets(List.of(new SnmpTarget("10.0.0.5", 162, "v2c", false, "c1", true)), "admin");
        List<List<SnmpTarget>> bad = List.of(
                List.of(new SnmpTarget("10.0.0.6", 162, "v9", false, "c", true)),
                List.of(new SnmpTarget("10.0.0.6", 162, "v3", false, "nobody", true)),
                List.of(new SnmpTarget("10.0.0.6", 0, "v2c", false, "c", true)),
                List.of(new SnmpTarget("10.0.0.6", 162, "v2c", false, null, true)),
                List.of(new SnmpTarget("10.0.0.6", 162, "v2c", false, "a,b", true)),
                List.of(new SnmpTarget("bad host", 162, "v2c", false, "c", true)),
                List.of(new SnmpTarget("nms.example.org", 162, "v2c", false, "c", true)));
        for (List<SnmpTarget> targets : bad) {
            assertThrows(IllegalArgumentException.class, () -> s.setTargets(targets, "admin"), targets.toString());
        }
        assertEquals(List.of("10.0.0.5:162,v2c,trap,c1"), file.read());
    }
}
