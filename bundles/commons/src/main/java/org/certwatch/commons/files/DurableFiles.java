package org.certwatch.commons.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
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
 * Whole-file replacement that a reader or a crash never sees half done: the content goes to a
 * temporary sibling, is synced, and is renamed over the target; the folder is synced so the rename
 * itself survives a power loss. Every bundle that keeps state in files writes it through here.
 */
public final class DurableFiles {
    /** The suffix of temporary siblings; a start may delete leftovers of a crash by it. */
    public static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OWNER_FOLDER = PosixFilePermissions.fromString("rwx------");

    private DurableFiles() {
    }

    /** Replaces {@code file} durably; {@code secret} files are 0600, others 0644. Creates missing folders. */
    public static void write(Path file, byte[] content, boolean secret) throws IOException {
        Path folder = folderOf(file);
        Files.createDirectories(folder);
        replace(file, content, secret, true);
        fsyncDirectory(folder);
    }

    /**
     * Replaces {@code file} atomically without syncing: for files that can be rebuilt from a journal
     * after a crash, where the sync would only cost time.
     */
    public static void writeVisible(Path file, byte[] content, boolean secret) throws IOException {
        replace(file, content, secret, false);
    }

    /**
     * Writes a file under a name nothing refers to yet, synced in place without a temporary sibling
     * or a folder sync: a later {@link #write} in the same folder that names it makes it count, and
     * its folder sync covers this file's entry too.
     */
    public static void writeNew(Path file, byte[] content, boolean secret) throws IOException {
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                mode(secret))) {
            writeAll(channel, content);
            channel.force(true);
        }
    }

    /** Creates a folder (0700) and its missing parents, and syncs the parent so the entry survives. */
    public static Path createOwnerOnlyDirectories(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(OWNER_FOLDER));
            fsyncDirectory(folderOf(folder));
        }
        return folder;
    }

    /** Creates a folder and its missing parents, and syncs the parent so the entry survives. */
    public static Path createDirectories(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder);
            fsyncDirectory(folderOf(folder));
        }
        return folder;
    }

    /** Syncs a folder's entries; file systems that cannot open a folder keep the rename atomic anyway. */
    public static void fsyncDirectory(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // some file systems cannot open or sync a folder; the rename is still atomic there
        }
    }

    private static void replace(Path file, byte[] content, boolean secret, boolean sync) throws IOException {
        // per thread: two threads replacing the same file never share a temporary sibling
        Path temp = file.resolveSibling("." + file.getFileName() + "." + Thread.currentThread().getId() + TEMP_SUFFIX);
        try (FileChannel channel = openFresh(temp, mode(secret))) {
            writeAll(channel, content);
            if (sync) {
                channel.force(true);
            }
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static FileChannel openFresh(Path temp, FileAttribute<Set<PosixFilePermission>> mode) throws IOException {
        try {
            return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
        } catch (FileAlreadyExistsException e) {
            // left by a crash of an earlier run on a thread with the same id
            Files.delete(temp);
            return FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode);
        }
    }

    private static void writeAll(FileChannel channel, byte[] content) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> mode(boolean secret) {
        return PosixFilePermissions.asFileAttribute(secret ? OWNER_ONLY : READABLE);
    }

    private static Path folderOf(Path path) {
        Path parent = path.toAbsolutePath().getParent();
        return parent == null ? path.toAbsolutePath().getRoot() : parent;
    }
}
