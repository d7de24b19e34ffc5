package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Permission;
import org.certwatch.fleet.internal.directory.Users;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A new password or a deleted user is announced, so caches of verified credentials drop them at once. */
class UserChangesTest {
    @TempDir
    Path data;

    @Test
    void passwordChangesAndDeletionsAreAnnounced() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createUser("carla", "All", EnumSet.of(Permission.CERTIFICATES_READ), "carla-password".toCharArray(),
                    "test");
            h.events.clear();
            String before = h.fleet.passwordVersion("carla").orElseThrow();
            h.fleet.admin.updateUser("carla", null, EnumSet.noneOf(Permission.class), null, "test");
            assertEquals(before, h.fleet.passwordVersion("carla").orElseThrow(), "only a password changes it");
            h.events.clear();
            h.fleet.setPassword("carla", "carla-password-2".toCharArray(), "test");
            String after = h.fleet.passwordVersion("carla").orElseThrow();
            assertTrue(!after.equals(before) && !after.contains("carla"), after);
            h.fleet.setPassword("carla", "carla-password-2".toCharArray(), "test");
            assertTrue(!after.equals(h.fleet.passwordVersion("carla").orElseThrow()), "set again to the same: changed");
            h.events.clear();
            h.fleet.setPassword("carla", "carla-password-3".toCharArray(), "test");
            assertEquals(1, h.events.stream().filter(Topics.USER_CHANGED::equals).count(), h.events.toString());
            assertTrue(h.fleet.authenticate("carla", "carla-password".toCharArray()).isEmpty());
            h.fleet.deleteUser("carla", "test");
            assertTrue(h.fleet.passwordVersion("carla").isEmpty());
            assertEquals(2, h.events.stream().filter(Topics.USER_CHANGED::equals).count(), h.events.toString());
        }
    }

    @Test
    void aChangedOrDisabledUserIsAnnouncedAndADisabledOneNeitherLogsInNorUsesTokens() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createGroup("All/Lab", "", "test");
            h.fleet.createUser("carla", "All", EnumSet.of(Permission.CERTIFICATES_READ), "carla-password".toCharArray(), "test");
            String token = h.fleet.apiTokens.create("carla", "script", null, "carla").text();
            h.events.clear();
            var moved = h.fleet.admin.updateUser("carla", "All/Lab", EnumSet.of(Permission.COMPUTERS_READ), null, "test");
            assertEquals("All/Lab", moved.homeGroup());
            assertEquals(EnumSet.of(Permission.COMPUTERS_READ), moved.permissions());
            assertTrue(moved.enabled());
            h.fleet.admin.updateUser("carla", null, null, false, "test");
            assertEquals(2, h.events.stream().filter(Topics.USER_CHANGED::equals).count(), h.events.toString());
            assertTrue(h.fleet.authenticate("carla", "carla-password".toCharArray()).isEmpty());
            assertTrue(h.fleet.apiTokens.authenticate(token).isEmpty());
            assertEquals(false, h.openFleet().user("carla").orElseThrow().enabled(), "stored");
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.admin.updateUser("carla", "All/Nowhere", null, null, "test"));
            assertTrue(Files.readString(data.resolve("audit/audit.log")).contains("user.update"));
        }
    }

    @Test
    void enrolmentTokensAreListedWithoutTheirTextAndRevocable() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            var token = h.fleet.admin.createEnrolmentToken("All", java.time.Duration.ofHours(2), 5, "test");
            var listed = h.fleet.admin.enrolmentTokens();
            assertEquals(1, listed.size());
            assertEquals(5, listed.get(0).usesLeft());
            assertEquals(token.id(), listed.get(0).id());
            assertTrue(!listed.toString().contains(token.text()));
            h.fleet.admin.revokeEnrolmentToken(token.id(), "test");
            assertTrue(h.fleet.admin.enrolmentTokens().isEmpty());
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> h.fleet.tokens.redeem(token.text()));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.admin.revokeEnrolmentToken(token.id(), "test"));
        }
    }

    @Test
    void theFirstStartAdminPasswordLeavesInitialCredentialsOnceChanged() throws Exception {
        Path credentials = data.resolve("initial-credentials");
        Files.writeString(credentials, "CERTWATCH_ADMIN_PASSWORD=first-start\nCERTWATCH_SNMP_USER=certwatch\n");
        try (FleetHarness h = new FleetHarness(data)) {
            Users users = new Users(h.fleet.state, 10_000, data);
            users.createUser("carla", "All", EnumSet.of(Permission.CERTIFICATES_READ), "carla-password".toCharArray(),
                    "test");
            users.setPassword("carla", "carla-password-2".toCharArray(), "test");
            assertTrue(Files.readString(credentials).contains("CERTWATCH_ADMIN_PASSWORD="), "another user's change");
            users.setPassword("admin", "admin-password-2".toCharArray(), "test");
            assertEquals("CERTWATCH_SNMP_USER=certwatch\n", Files.readString(credentials));
            assertTrue(users.authenticate("admin", "admin-password-2".toCharArray()).isPresent());
        }
    }
}
