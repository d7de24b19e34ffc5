package org.certwatch.source.files.internal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.EnumSet;
import java.util.function.Consumer;

/**
 * A watch's pattern on the disk: an absolute file, a folder (its files, or everything below it when recursive),
 * or a glob ({@code *} within one folder, {@code **} across folders, and {@code /**}{@code /} also matching no folder
 * at all, as shells with globstar do). Walks follow symbolic links; a link loop is reported as a file the reader then
 * finds unreadable, never walked twice.
 */
final class WatchedPath {
    private static final String GLOB_CHARS = "*?[{";

    /** How a walk ended. {@code stopped}: the bound was reached, and why. */
    record Walk(int files, String stopped) {
    }

    private final String pattern;
    private final Path base;
    private final PathMatcher glob;
    private final boolean recursive;
    private final int depth;

    WatchedPath(String pattern, boolean recursive) {
        this.pattern = pattern;
        this.recursive = recursive;
        Path p = Path.of(pattern);
        int firstGlob = -1;
        for (int i = 0; i < p.getNameCount(); i++) {
            if (hasGlob(p.getName(i).toString())) {
                firstGlob = i;
                break;
            }
        }
        if (firstGlob < 0) {
            this.base = p;
            this.glob = null;
            this.depth = recursive ? Integer.MAX_VALUE : 1;
        } else {
            this.base = firstGlob == 0 ? p.getRoot() : p.getRoot().resolve(p.subpath(0, firstGlob));
            this.glob = FileSystems.getDefault().getPathMatcher("glob:" + globstar(pattern));
            this.depth = recursive || pattern.contains("**") ? Integer.MAX_VALUE : p.getNameCount() - firstGlob;
        }
    }

    /**
     * The JDK's {@code /**}{@code /} needs at least one folder, so {@code /etc/ssl/**}{@code /*.pem} would miss
     * {@code /etc/ssl/a.pem}, which admins expect it to match. The JDK's glob has no nested groups: a pattern with
     * its own braces keeps the JDK's meaning.
     */
    static String globstar(String pattern) {
        return pattern.indexOf('{') >= 0 ? pattern : pattern.replace("/**/", "/{**/,}");
    }

    static boolean hasGlob(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (GLOB_CHARS.indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** The folder (or file) a walk starts from: the pattern up to its first glob segment. */
    Path base() {
        return base;
    }

    String pattern() {
        return pattern;
    }

    boolean recursive() {
        return recursive;
    }

    /** A pattern naming one file: its absence is a failure (MISSING), not a removal. */
    boolean namesOneFile() {
        return glob == null && !Files.isDirectory(base);
    }

    /** Whether a file (absolute, normalized) belongs to this watch. */
    boolean matches(Path file) {
        if (glob == null) {
            if (file.equals(base)) {
                return true;
            }
            return file.startsWith(base) && (recursive || base.equals(file.getParent()));
        }
        if (!file.startsWith(base)) {
            return false;
        }
        for (Path p = file; p != null && p.startsWith(base) && !p.equals(base); p = p.getParent()) {
            if (glob.matches(p)) {
                return true;
            }
            if (!recursive) {
                return false;
            }
        }
        return false;
    }

    /**
     * Hands every matching file to {@code file}, every folder link that loops back to {@code loop}, and every folder walked to {@code folder} (for file-system
     * events), stopping after {@code maxFiles} files or {@code maxVisits} entries looked at.
     */
    Walk walk(Consumer<Path> file, Consumer<Path> loop, Consumer<Path> folder, int maxFiles, int maxVisits)
            throws IOException {
        if (!Files.exists(base)) {
            if (base.getParent() != null && Files.isDirectory(base.getParent())) {
                folder.accept(base.getParent()); // the file may come later
            }
            return new Walk(0, null);
        }
        if (!Files.isDirectory(base)) {
            folder.accept(base.getParent());
            file.accept(base);
            return new Walk(1, null);
        }
        int[] counts = new int[2];
        String[] stopped = new String[1];
        Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (++counts[1] > maxVisits) {
                    stopped[0] = "stopped after looking at " + maxVisits + " entries (max.files.per.watch × 4)";
                    return FileVisitResult.TERMINATE;
                }
                folder.accept(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                return offer(f);
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                if (e instanceof FileSystemLoopException && matches(f)) {
                    loop.accept(f);
                    return FileVisitResult.CONTINUE;
                }
                // an unreadable entry: the reader names the problem if it matches
                return offer(f);
            }

            private FileVisitResult offer(Path f) {
                if (++counts[1] > maxVisits) {
                    stopped[0] = "stopped after looking at " + maxVisits + " entries (max.files.per.watch × 4)";
                    return FileVisitResult.TERMINATE;
                }
                if (!matches(f)) {
                    return FileVisitResult.CONTINUE;
                }
                if (counts[0] == maxFiles) {
                    stopped[0] = "stopped at " + maxFiles + " files (max.files.per.watch)";
                    return FileVisitResult.TERMINATE;
                }
                counts[0]++;
                file.accept(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return new Walk(counts[0], stopped[0]);
    }
}
