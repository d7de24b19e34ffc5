package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.certwatch.api.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A created or deleted group is announced, so the SNMP agent's contexts follow it at once. */
class GroupChangesTest {
    @TempDir
    Path data;

    @Test
    void createdAndDeletedGroupsAreAnnouncedRefusedChangesNot() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.events.clear();
            h.fleet.createGroup("All/Berlin", "", "test");
            assertThrows(IllegalArgumentException.class, () -> h.fleet.createGroup("All/Berlin", "", "test"));
            h.fleet.deleteGroup("All/Berlin", "test");
            assertThrows(IllegalArgumentException.class, () -> h.fleet.deleteGroup("All/Berlin", "test"));
            assertEquals(List.of(Topics.GROUP_CHANGED, Topics.GROUP_CHANGED), h.events);
        }
    }
}
