package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes files so a reader never sees a half-written one: content goes to a temporary sibling first
 * and is renamed over the final name. {@link #writeDurably} also fsyncs file and directory, for state
 * that is not covered by the journal; {@link #writeVisible} skips the fsyncs, for files the journal
 * can regenerate (after a crash the store repairs them on open).
 */
public final class AtomicFiles {
    public static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    public static void writeDurably(Path file, byte[] content, boolean secret) throws IOException {
        write(file, content, secret, true);
        fsyncDirectory(file.getParent());
    }

    public static void writeVisible(Path file, byte[] content, boolean secret) throws IOException {
        write(file, content, secret, false);
    }

    private static void write(Path file, byte[] content, boolean secret, boolean sync) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + "." + Thread.currentThread().getId() + TEMP_SUFFIX);
        FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(
                secret ? OWNER_ONLY : READABLE);
        try (FileChannel channel = open(temp, mode)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (sync) {
                channel.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static FileChannel open(Path temp, FileAttribute<Set<PosixFilePermission>> mode) throws IOException {
        try {
            return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
        } catch (FileAlreadyExistsException e) {
            // left over by a crash of an earlier run with the same thread id
            Files.delete(temp);
            return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
        }
    }

    public static void fsyncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    public static Path createDirectories(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            fsyncDirectory(directory.getParent());
        }
        return directory;
    }
}
