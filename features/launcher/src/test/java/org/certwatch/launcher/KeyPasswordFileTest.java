package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyPasswordFileTest {
    @TempDir
    Path root;

    private Path data() throws Exception {
        return Files.createDirectories(root.resolve("data"));
    }

    @Test
    void theFileIsInEtcUnlessNamedOrTheEnvironmentHoldsThePassword() {
        Path etc = root.resolve("etc");
        assertEquals(Optional.of(etc.resolve("key-password")), KeyPasswordFile.location(Map.of(), etc, root));
        assertEquals(Optional.of(root.resolve("secret/key")),
                KeyPasswordFile.location(Map.of("CERTWATCH_KEY_PASSWORD_FILE", "secret/key"), etc, root));
        assertEquals(Optional.empty(), KeyPasswordFile.location(Map.of("CERTWATCH_KEY_PASSWORD", "x"), etc, root));
    }

    @Test
    void theFirstStartGeneratesItOwnerOnlyOutsideTheDataFolder() throws Exception {
        Path file = root.resolve("etc/key-password");
        Optional<String> said = KeyPasswordFile.prepare(file, data(), true, new SecureRandom());
        assertTrue(said.orElseThrow().startsWith("first start: generated key password written to " + file), said.get());
        assertTrue(Files.readString(file).matches("[A-Za-z0-9]{32}\n"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        String password = Files.readString(file);
        assertEquals(Optional.empty(), KeyPasswordFile.prepare(file, data(), false, new SecureRandom()));
        assertEquals(password, Files.readString(file), "a later start leaves it alone");
    }

    @Test
    void anOlderInstallationsPasswordMovesOutOfInitialCredentials() throws Exception {
        Path data = data();
        Files.writeString(data.resolve("initial-credentials"),
                "CERTWATCH_ADMIN_PASSWORD=a\nCERTWATCH_KEY_PASSWORD=old-secret-value\n");
        Path file = root.resolve("etc/key-password");
        String said = KeyPasswordFile.prepare(file, data, false, new SecureRandom()).orElseThrow();
        assertTrue(said.startsWith("key password moved from " + data.resolve("initial-credentials") + " to " + file), said);
        assertFalse(said.contains("old-secret-value"), "the log never shows the value");
        assertEquals("old-secret-value\n", Files.readString(file));
        assertEquals("CERTWATCH_ADMIN_PASSWORD=a\n", Files.readString(data.resolve("initial-credentials")));
    }

    @Test
    void aMoveCutShortIsFinishedAndADifferentLeftoverIsKept() throws Exception {
        Path data = data();
        Path file = Files.createDirectories(root.resolve("etc")).resolve("key-password");
        Files.writeString(file, "moved\n");
        Files.writeString(data.resolve("initial-credentials"), "CERTWATCH_KEY_PASSWORD=moved\n");
        assertTrue(KeyPasswordFile.prepare(file, data, false, new SecureRandom()).isPresent());
        assertFalse(Files.exists(data.resolve("initial-credentials")), "its only line left, so did the file");

        Files.writeString(data.resolve("initial-credentials"), "CERTWATCH_KEY_PASSWORD=other\n");
        assertEquals(Optional.empty(), KeyPasswordFile.prepare(file, data, false, new SecureRandom()));
        assertEquals("moved\n", Files.readString(file));
    }

    @Test
    void anExistingInstallationWithoutAnyPasswordGetsNoNewOne() throws Exception {
        Path file = root.resolve("etc/key-password");
        assertEquals(Optional.empty(), KeyPasswordFile.prepare(file, data(), false, new SecureRandom()));
        assertFalse(Files.exists(file), "a new password would not open the existing keys; the store says what is missing");
    }
}
