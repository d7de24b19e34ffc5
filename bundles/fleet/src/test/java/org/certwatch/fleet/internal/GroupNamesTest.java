package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.certwatch.api.fleet.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A group path is written into logs, the audit log, pages and SNMP: characters that forge a line there are refused. */
class GroupNamesTest {
    @TempDir
    Path data;

    @Test
    void controlCharactersAndLineBreaksAreRefusedAndNothingIsStored() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            List<String> before = h.fleet.groups.groups().stream().map(Group::path).toList();
            for (String bad : List.of("All/x\ny", "All/\u0007bell", "All/Berlin\u202Egnp", "All/x\u2028y")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> h.fleet.createGroup(bad, "", "test"));
                assertTrue(e.getMessage().contains("control characters and line breaks"), e.getMessage());
            }
            assertEquals(before, h.fleet.groups.groups().stream().map(Group::path).toList());
            assertEquals("All/Zürich & Co", h.fleet.createGroup("All/Zürich & Co", "", "test").path());
        }
    }
}
