package org.certwatch.commons.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitialCredentialsTest {
    @TempDir
    Path data;

    @Test
    void removesOneLineAndKeepsTheOthersOwnerOnly() throws Exception {
        Files.writeString(data.resolve("initial-credentials"), "A=1\nB=2\nC=3\n");
        assertEquals(Optional.of("2"), InitialCredentials.value(data, "B"));
        assertTrue(InitialCredentials.remove(data, "B"));
        assertEquals("A=1\nC=3\n", Files.readString(data.resolve("initial-credentials")));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("initial-credentials"))));
        assertEquals(Optional.empty(), InitialCredentials.value(data, "B"));
        assertFalse(InitialCredentials.remove(data, "B"), "nothing left to remove");
    }

    @Test
    void theFileGoesWithItsLastLine() throws Exception {
        Files.writeString(data.resolve("initial-credentials"), "A=1\n");
        assertTrue(InitialCredentials.remove(data, "A"));
        assertFalse(Files.exists(data.resolve("initial-credentials")));
        assertFalse(InitialCredentials.remove(data, "A"), "no file: nothing to remove");
        assertEquals(Optional.empty(), InitialCredentials.value(data, "A"));
    }
}
