package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.Permission;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.SharedFleetStorage;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Renaming a group: every path the fleet stores follows (subgroups, users, enrolment tokens, computers),
 * the rename is recorded with a number for the other bundles, and a crash between the directory's write and
 * the computers' rows converges at the next load; on shared storage the other server follows.
 */
class GroupRenameTest {
    @TempDir
    Path data;

    @Test
    void aRenameMovesTheGroupItsSubgroupsAndEverythingInThem() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createGroup("All/Berlin", "", "test");
            h.fleet.createGroup("All/Berlin/Lab", "the lab", "test");
            h.fleet.createGroup("All/Berlin/Lab/Bench", "", "test");
            h.fleet.createGroup("All/Berlin/Labs", "", "test");
            h.fleet.createUser("lena", "All/Berlin/Lab/Bench", EnumSet.of(Permission.CERTIFICATES_READ),
                    "lena-password-1".toCharArray(), "test");
            long pc = h.fleet.addComputer("pc-1", "All/Berlin/Lab", "test").id();
            h.fleet.addComputer("pc-2", "All/Berlin/Labs", "test");
            h.fleet.createEnrolmentToken("All/Berlin/Lab", Duration.ofHours(1), 1, "test");
            String oldShortName = h.fleet.group("All/Berlin/Lab").orElseThrow().shortName();
            h.events.clear();

            Group renamed = h.fleet.admin.renameGroup("All/Berlin/Lab", " Lab-2 ", null, "alice");

            assertEquals(new Group("All/Berlin/Lab-2", "berlin-lab-2", "the lab"), renamed);
            assertEquals("berlin-lab", oldShortName);
            assertTrue(h.fleet.group("All/Berlin/Lab").isEmpty());
            assertTrue(h.fleet.group("All/Berlin/Lab-2/Bench").isPresent(), "a subgroup follows");
            assertTrue(h.fleet.group("All/Berlin/Labs").isPresent(), "a sibling whose name only starts alike stays");
            assertEquals("All/Berlin/Lab-2/Bench", h.fleet.user("lena").orElseThrow().homeGroup());
            assertEquals("All/Berlin/Lab-2", h.fleet.state.computers.get(pc).group);
            assertEquals("All/Berlin/Labs", h.fleet.state.computerByName("pc-2").group);
            assertEquals(List.of("All/Berlin/Lab-2"), h.fleet.admin.enrolmentTokens().stream().map(t -> t.group()).toList());
            assertEquals(List.of(new GroupRename(1, "All/Berlin/Lab", "All/Berlin/Lab-2", h.clock.instant())),
                    h.fleet.groups.since(0));
            assertEquals(1, h.fleet.groups.last());
            assertTrue(h.events.contains(Topics.GROUP_RENAMED), h.events.toString());
            assertTrue(h.events.contains(Topics.GROUP_CHANGED), "the SNMP contexts follow");
            assertTrue(h.events.contains(Topics.USER_CHANGED), "sessions re-read lena");
            assertTrue(h.events.contains(Topics.COMPUTER_CHANGED), "the monitor and the MIB follow pc-1");

            // a rename back is a second rename; a new group at a path the renames lead elsewhere is refused
            h.fleet.admin.renameGroup("All/Berlin/Lab-2", "Lab", "again", "alice");
            assertInstanceOf(FleetConflictException.class, assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.createGroup("All/Berlin/Lab-2", "", "test")));
            h.fleet.createGroup("All/Berlin/Lab-3", "", "test");
            assertInstanceOf(FleetConflictException.class, assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.admin.renameGroup("All/Berlin/Lab-3", "Lab-2", null, "alice")));
            assertEquals(2, h.fleet.groups.since(0).size());
            assertEquals(List.of(2L), h.fleet.groups.since(1).stream().map(GroupRename::number).toList());

            Fleet restarted = h.openFleet();
            assertEquals("again", restarted.group("All/Berlin/Lab").orElseThrow().description());
            assertEquals("All/Berlin/Lab/Bench", restarted.user("lena").orElseThrow().homeGroup());
            assertEquals("All/Berlin/Lab", restarted.state.computers.get(pc).group);
            assertEquals(2, restarted.groups.last());
            String audit = java.nio.file.Files.readString(data.resolve("audit/audit.log"));
            assertTrue(audit.contains("group:All/Berlin/Lab -> All/Berlin/Lab-2"), audit);
        }
    }

    @Test
    void refusalsChangeNothing() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createGroup("All/Oslo", "", "test");
            h.fleet.createGroup("All/Bergen", "", "test");
            assertThrows(IllegalArgumentException.class, () -> h.fleet.admin.renameGroup("All", "Everything", null, "a"));
            assertThrows(IllegalArgumentException.class, () -> h.fleet.admin.renameGroup(Group.LOST_AND_FOUND, "Found", null, "a"));
            assertThrows(IllegalArgumentException.class, () -> h.fleet.admin.renameGroup("All/Nowhere", "X", null, "a"));
            for (String bad : new String[] {"", "a/b", "..", "."}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> h.fleet.admin.renameGroup("All/Oslo", bad, null, "a"));
                assertTrue(e.getMessage().startsWith("name:"), e.getMessage());
            }
            assertInstanceOf(FleetConflictException.class,
                    assertThrows(IllegalArgumentException.class, () -> h.fleet.admin.renameGroup("All/Oslo", "Bergen", null, "a")));
            assertEquals(0, h.fleet.groups.last());
            assertTrue(h.fleet.group("All/Oslo").isPresent());
        }
    }

    @Test
    void computersLeftInTheOldGroupByACrashFollowAtTheNextLoad() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createGroup("All/Oslo", "", "test");
            long pc = h.fleet.addComputer("pc-1", "All/Oslo", "test").id();
            h.fleet.admin.renameGroup("All/Oslo", "Oslo-2", null, "a");
            // as if the server died after the directory's write and before the computer's row
            ComputerRecord r = h.fleet.state.computers.get(pc);
            try (FleetState.Held held = h.fleet.state.exclusive()) {
                r.group = "All/Oslo";
                h.fleet.state.store(r);
            }
            assertEquals("All/Oslo-2", h.openFleet().state.computers.get(pc).group);
            assertEquals("All/Oslo-2", h.openFleet().state.computers.get(pc).group, "and stored so");
        }
    }

    @Test
    void theOtherServerSharingTheStorageFollowsAndAnnouncesIt() throws Exception {
        try (FleetHarness h = new FleetHarness(data); MemoryPersistence backend = new MemoryPersistence()) {
            List<String> eventsOfB = new CopyOnWriteArrayList<>();
            Fleet a = new Fleet(new SharedFleetStorage(backend.server("a")), h.store, h.audit, h.clock, null,
                    "admin-password".toCharArray());
            Fleet b = new Fleet(new SharedFleetStorage(backend.server("b")), h.store, h.audit, h.clock, new EventAdmin() {
                @Override
                public void postEvent(Event event) {
                    eventsOfB.add(event.getTopic());
                }

                @Override
                public void sendEvent(Event event) {
                    postEvent(event);
                }
            }, "admin-password".toCharArray());
            a.createGroup("All/Oslo", "", "alice");
            long pc = a.addComputer("pc-1", "All/Oslo", "alice").id();
            backend.settle();
            a.admin.renameGroup("All/Oslo", "Trondheim", null, "alice");
            backend.settle();
            assertTrue(b.group("All/Trondheim").isPresent());
            assertFalse(b.group("All/Oslo").isPresent());
            assertEquals("All/Trondheim", b.state.computers.get(pc).group);
            assertEquals(1, b.groups.last());
            assertTrue(eventsOfB.contains(Topics.GROUP_RENAMED), eventsOfB.toString());
            // b renames on what a stored: the next number
            b.admin.renameGroup("All/Trondheim", "Bodø", null, "bob");
            backend.settle();
            assertEquals(List.of(1L, 2L), a.groups.since(0).stream().map(GroupRename::number).toList());
        }
    }
}
