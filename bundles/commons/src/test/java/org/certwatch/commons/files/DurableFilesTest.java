package org.certwatch.commons.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheWholeFileAndLeavesNoTemporarySibling() throws IOException {
        Path file = dir.resolve("a/b/state.json");
        DurableFiles.write(file, "first, longer content".getBytes(StandardCharsets.UTF_8), false);
        DurableFiles.write(file, "second".getBytes(StandardCharsets.UTF_8), false);
        assertEquals("second", Files.readString(file));
        assertEquals(List.of(file), list(file.getParent()));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void secretsAreOwnerOnly() throws IOException {
        Path file = dir.resolve("key.pem");
        DurableFiles.write(file, new byte[] {1, 2, 3}, true);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        DurableFiles.writeVisible(file, new byte[] {4}, true);
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aTemporarySiblingLeftByACrashIsReplaced() throws IOException {
        Path file = dir.resolve("state.json");
        Path leftover = dir.resolve(".state.json." + Thread.currentThread().getId() + DurableFiles.TEMP_SUFFIX);
        Files.writeString(leftover, "half written");
        DurableFiles.write(file, "whole".getBytes(StandardCharsets.UTF_8), false);
        assertEquals("whole", Files.readString(file));
        assertEquals(List.of(file), list(dir));
    }

    @Test
    void aNewFileIsNeverWrittenOverAnExistingOne() throws IOException {
        Path file = dir.resolve("cert.pem");
        DurableFiles.writeNew(file, new byte[] {1}, true);
        assertThrows(FileAlreadyExistsException.class, () -> DurableFiles.writeNew(file, new byte[] {2}, true));
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(file));
    }

    @Test
    void ownerOnlyFoldersAre0700() throws IOException {
        Path folder = DurableFiles.createOwnerOnlyDirectories(dir.resolve("agent"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }
}
