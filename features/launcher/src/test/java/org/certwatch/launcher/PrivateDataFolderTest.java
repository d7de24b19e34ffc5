package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDataFolderTest {
    @TempDir
    Path dir;

    @Test
    void aNewDataFolderIsCreatedForTheOwnerOnly() throws Exception {
        Path data = dir.resolve("a/data");
        PrivateDataFolder.create(data);
        assertEquals("rwx------", mode(data));
        assertEquals(0, PrivateDataFolder.tighten(data));
    }

    @Test
    void anExistingInstallationIsCorrected() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = Files.createDirectories(data.resolve("log"));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = Files.writeString(log.resolve("certwatch.log"), "bob failed\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Path secret = Files.writeString(data.resolve("key"), "k");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));

        assertEquals(3, PrivateDataFolder.tighten(data));
        assertEquals("rwx------", mode(data));
        assertEquals("rwx------", mode(log));
        assertEquals("rw-------", mode(file));
        assertEquals("rw-------", mode(secret));
        assertEquals(0, PrivateDataFolder.tighten(data));
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
