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
            h.fleet.setPassword("carla", "carla-password-2".toCharArray(), "test");
            assertEquals(1, h.events.stream().filter(Topics.USER_CHANGED::equals).count(), h.events.toString());
            assertTrue(h.fleet.authenticate("carla", "carla-password".toCharArray()).isEmpty());
            h.fleet.deleteUser("carla", "test");
            assertEquals(2, h.events.stream().filter(Topics.USER_CHANGED::equals).count(), h.events.toString());
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
