package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import org.certwatch.api.fleet.ApiToken;
import org.certwatch.api.fleet.NewApiToken;
import org.certwatch.api.fleet.Permission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API tokens: shown once, kept as a hash, used by their user, last use written coalesced, gone when revoked. */
class ApiTokensTest {
    @TempDir
    Path data;

    private String directory() throws Exception {
        return Files.readString(data.resolve("fleet/directory.json"));
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndActsAsItsUser() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createUser("metrics", "All", EnumSet.of(Permission.CERTIFICATES_READ), "metrics-password".toCharArray(), "admin");
            NewApiToken created = h.fleet.apiTokens.create("metrics", "prometheus", h.clock.instant().plus(Duration.ofDays(30)), "metrics");
            String text = created.text();
            assertTrue(text.startsWith("cwapi_" + created.token().id() + "_"), text);
            String secret = text.substring(("cwapi_" + created.token().id() + "_").length());
            String stored = directory();
            assertFalse(stored.contains(secret), "the secret is never stored");
            assertTrue(stored.contains(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)))), "its SHA-256 is");
            assertFalse(created.toString().contains(secret), "nor logged by toString");
            assertEquals("metrics", h.fleet.apiTokens.authenticate(text).orElseThrow().name());
            char last = text.charAt(text.length() - 1);
            assertTrue(h.fleet.apiTokens.authenticate(text.substring(0, text.length() - 1) + (last == 'A' ? 'B' : 'A')).isEmpty());
            assertTrue(h.fleet.apiTokens.authenticate("cwapi_000000000000_" + secret).isEmpty());
            assertTrue(h.fleet.apiTokens.authenticate("nonsense").isEmpty());
            assertTrue(Files.readString(data.resolve("audit/audit.log")).contains("api-token.create"));
        }
    }

    @Test
    void theLastUseIsWrittenAtMostEveryTenMinutesAndAtStop() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            NewApiToken created = h.fleet.apiTokens.create("admin", "script", null, "admin");
            Instant first = h.clock.instant();
            h.fleet.apiTokens.authenticate(created.text());
            assertTrue(directory().contains("\"lastUsedAt\" : \"" + first), directory());
            h.clock.advance(Duration.ofMinutes(3));
            h.fleet.apiTokens.authenticate(created.text());
            assertEquals(h.clock.instant(), h.fleet.apiTokens.token(created.token().id()).orElseThrow().lastUsedAt());
            assertTrue(directory().contains("\"lastUsedAt\" : \"" + first), "no write for a use 3 minutes later");
            h.clock.advance(Duration.ofMinutes(8));
            h.fleet.apiTokens.authenticate(created.text());
            assertTrue(directory().contains("\"lastUsedAt\" : \"" + h.clock.instant()), "written 11 minutes later");
            h.clock.advance(Duration.ofMinutes(1));
            h.fleet.apiTokens.authenticate(created.text());
            Instant last = h.clock.instant();
            assertFalse(directory().contains("\"lastUsedAt\" : \"" + last));
            h.fleet.apiTokens.writeUses();
            assertTrue(directory().contains("\"lastUsedAt\" : \"" + last), "written at stop");
            Fleet reopened = h.openFleet();
            assertEquals(last, reopened.apiTokens.token(created.token().id()).orElseThrow().lastUsedAt());
        }
    }

    @Test
    void expiredRevokedAndDeletedUsersTokensNoLongerWork() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            h.fleet.createUser("carla", "All", EnumSet.of(Permission.CERTIFICATES_READ), "carla-password".toCharArray(), "admin");
            NewApiToken shortLived = h.fleet.apiTokens.create("carla", "short", h.clock.instant().plus(Duration.ofHours(1)), "admin");
            NewApiToken revoked = h.fleet.apiTokens.create("carla", "revoked", null, "admin");
            NewApiToken kept = h.fleet.apiTokens.create("carla", "kept", null, "admin");
            assertNull(kept.token().lastUsedAt());
            assertEquals(3, h.fleet.apiTokens.tokens().size());
            h.fleet.apiTokens.revoke(revoked.token().id(), "admin");
            assertTrue(h.fleet.apiTokens.authenticate(revoked.text()).isEmpty());
            assertThrows(IllegalArgumentException.class, () -> h.fleet.apiTokens.revoke(revoked.token().id(), "admin"));
            h.clock.advance(Duration.ofHours(1));
            assertTrue(h.fleet.apiTokens.authenticate(shortLived.text()).isEmpty(), "expired");
            assertEquals(java.util.List.of("kept"), h.fleet.apiTokens.tokens().stream().map(ApiToken::name).toList());
            assertTrue(h.fleet.apiTokens.authenticate(kept.text()).isPresent());
            h.fleet.deleteUser("carla", "admin");
            assertTrue(h.fleet.apiTokens.authenticate(kept.text()).isEmpty());
            assertTrue(h.fleet.apiTokens.tokens().isEmpty());
            assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.apiTokens.create("admin", "past", h.clock.instant().minusSeconds(1), "admin"));
            assertThrows(IllegalArgumentException.class, () -> h.fleet.apiTokens.create("nobody", "x", null, "admin"));
            assertThrows(IllegalArgumentException.class, () -> h.fleet.apiTokens.create("admin", " ", null, "admin"));
        }
    }
}
