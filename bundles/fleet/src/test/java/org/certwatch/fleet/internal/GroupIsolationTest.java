package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.IssueRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users in sibling groups see disjoint certificates, CAs and computers through the service API. */
class GroupIsolationTest {
    @TempDir
    Path data;

    @Test
    void siblingsSeeDisjointThingsAndNoReadPermissionSeesNothing() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            Fleet fleet = h.fleet;
            fleet.createGroup("All/Berlin", "", "test");
            fleet.createGroup("All/Berlin/Lab", "", "test");
            fleet.createGroup("All/Hamburg", "", "test");
            Set<Permission> read = EnumSet.of(Permission.CERTIFICATES_READ, Permission.COMPUTERS_READ);
            User berlin = fleet.createUser("berta", "All/Berlin", read, "berta-password".toCharArray(), "test");
            User hamburg = fleet.createUser("hanna", "All/Hamburg", read, "hanna-password".toCharArray(), "test");
            User blind = fleet.createUser("bob", "All/Berlin", EnumSet.noneOf(Permission.class),
                    "bob-password-1".toCharArray(), "test");

            long ca = h.store.createCa(new CaRequest("CN=Berlin CA", null, null, null, "All/Berlin"), "test").id();
            CertificateInfo lab = h.store.issue(new IssueRequest(ca, Role.AGENT, "lab1", List.of(), null, null,
                    "All/Berlin/Lab", null, null), "test");
            CertificateInfo hh = h.store.issue(new IssueRequest(ca, Role.AGENT, "hh1", List.of(), null, null,
                    "All/Hamburg", null, null), "test");
            Computer labPc = fleet.addComputer("lab-pc", "All/Berlin/Lab", "test");
            Computer hhPc = fleet.addComputer("hh-pc", "All/Hamburg", "test");

            Set<Long> berlinCerts = ids(fleet.certificates(berlin.scope()));
            Set<Long> hamburgCerts = ids(fleet.certificates(hamburg.scope()));
            assertEquals(Set.of(lab.id()), berlinCerts);
            assertEquals(Set.of(hh.id()), hamburgCerts);
            assertEquals(List.of(labPc.id()), fleet.computers(berlin.scope()).stream().map(Computer::id).toList());
            assertEquals(List.of(hhPc.id()), fleet.computers(hamburg.scope()).stream().map(Computer::id).toList());
            assertEquals(Set.of(ca), fleet.cas(berlin.scope()).stream().map(c -> c.id()).collect(Collectors.toSet()));
            assertTrue(fleet.cas(hamburg.scope()).isEmpty(), "the Berlin CA does not exist for Hamburg");
            assertTrue(fleet.groups(hamburg.scope()).stream().noneMatch(g -> g.path().startsWith("All/Berlin")));

            assertTrue(fleet.certificates(blind.scope()).isEmpty());
            assertTrue(fleet.cas(blind.scope()).isEmpty());
            assertTrue(fleet.computers(blind.scope()).isEmpty());

            // the admin of the first start sees everything
            User admin = fleet.user("admin").orElseThrow();
            assertEquals(Group.ROOT, admin.homeGroup());
            assertEquals(EnumSet.allOf(Permission.class), admin.permissions());
            assertTrue(ids(fleet.certificates(admin.scope())).containsAll(Set.of(lab.id(), hh.id())));
        }
    }

    @Test
    void passwordsAreHashedAndCheckedAndStateSurvivesReopening() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            assertTrue(h.fleet.authenticate("admin", FleetHarness.ADMIN_PASSWORD.toCharArray()).isPresent());
            assertFalse(h.fleet.authenticate("admin", "wrong-password".toCharArray()).isPresent());
            assertFalse(h.fleet.authenticate("nobody", "whatever-password".toCharArray()).isPresent());
            h.fleet.createGroup("All/Paris", "", "test");
            Computer first = h.fleet.addComputer("pc1", "All/Paris", "test");
            String stored = java.nio.file.Files.readString(data.resolve("fleet/directory.json"));
            assertFalse(stored.contains(FleetHarness.ADMIN_PASSWORD), "no clear-text password on disk");
            assertTrue(stored.contains("pbkdf2-sha256$"));

            Fleet reopened = h.openFleet();
            assertTrue(reopened.authenticate("admin", FleetHarness.ADMIN_PASSWORD.toCharArray()).isPresent());
            assertEquals("All/Paris", reopened.computerByName("pc1").orElseThrow().group());
            Computer second = reopened.addComputer("pc2", "All/Paris", "test");
            assertTrue(second.id() > first.id(), "ids are never reused");
            // refusals name their reason and change nothing
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> reopened.deleteGroup("All/Paris", "test"));
            assertTrue(e.getMessage().contains("computer"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> reopened.createGroup("All/Nowhere/Deep", "", "test"));
            // "." and ".." are not group names: All/Paris/.. would stand for All
            for (String dots : List.of("All/Paris/..", "All/Paris/.", "All/..", "All/Paris/../Rome")) {
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> reopened.createGroup(dots, "", "test"), dots);
                assertTrue(refused.getMessage().contains("'..'"), refused.getMessage());
            }
            assertFalse(reopened.group("All/Paris/..").isPresent());
            assertThrows(IllegalArgumentException.class, () -> reopened.createUser("x", "All", Set.of(),
                    "short".toCharArray(), "test"));
        }
    }

    private static Set<Long> ids(List<CertificateInfo> list) {
        return list.stream().map(CertificateInfo::id).collect(Collectors.toSet());
    }
}
