package org.certwatch.launcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The data folder holds keys, user names of failed logins (audit and server log) and the store: it is
 * for the service user only. New folders are created 0700; an installation made before that had its
 * folder 0755 and files 0644, so a start takes group and others' permissions off whatever is there.
 */
final class PrivateDataFolder {
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PrivateDataFolder() {
    }

    /** Creates the folder 0700 (with its missing parents) if it is missing. */
    static void create(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, folderMode());
        }
    }

    /**
     * Takes group and others' permissions off the folder and everything under it (not following
     * links); answers how many entries were changed. A folder already 0700 closes all it holds, so only
     * the first start of an installation made before walks the tree, not every start of a large store.
     */
    static int tighten(Path folder) throws IOException {
        if (Files.getPosixFilePermissions(folder).stream().noneMatch(GROUP_AND_OTHERS::contains)) {
            return 0;
        }
        int[] changed = {0};
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                changed[0] += restrict(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile() || attrs.isDirectory()) {
                    changed[0] += restrict(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                // a file removed while we walk (a crash's temporary sibling) needs nothing
                return FileVisitResult.CONTINUE;
            }
        });
        return changed[0];
    }

    private static int restrict(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (!permissions.removeAll(GROUP_AND_OTHERS)) {
            return 0;
        }
        Files.setPosixFilePermissions(path, permissions);
        return 1;
    }

    static FileAttribute<Set<PosixFilePermission>> folderMode() {
        return PosixFilePermissions.asFileAttribute(FOLDER);
    }
}
