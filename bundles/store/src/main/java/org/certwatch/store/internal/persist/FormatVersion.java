package org.certwatch.store.internal.persist;

import org.certwatch.commons.files.DurableFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The {@code format} file of the store folder. A newer server upgrades an older folder in place,
 * after copying it aside; an older server refuses a newer folder rather than misreading it.
 */
public final class FormatVersion {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");
    /**
     * 2: journal records carry subjectAltNames (version 1 records still read, so 1 to 2 changes no file).
     * 3: records for succession, retirement and deletion of monitored certificates and the sealing key (new
     * record types only, so 2 to 3 changes no file; the number keeps an older server from misreading them).
     * 4: a record for a group's rename (a new record type only, so 3 to 4 changes no file).
     */
    public static final int CURRENT = 4;
    private static final Map<Integer, Migration> MIGRATIONS = Map.of(1, folder -> {
    }, 2, folder -> {
    }, 3, folder -> {
    });
    static final String FILE = "format";

    /** Upgrades a folder from version {@code n} to {@code n + 1}, in place. */
    public interface Migration {
        void upgrade(Path folder) throws IOException;
    }

    private final int current;
    private final Map<Integer, Migration> migrations;

    public FormatVersion() {
        this(CURRENT, MIGRATIONS);
    }

    /** For tests: another current version and the migrations leading to it. */
    public FormatVersion(int current, Map<Integer, Migration> migrations) {
        this.current = current;
        this.migrations = migrations;
    }

    /**
     * Makes the folder's format current: stamps a new (empty) folder, upgrades an older one after
     * copying it to a sibling {@code <name>.v<old>.backup-<time>}, refuses a newer one.
     *
     * @return true when the folder was new
     */
    public boolean prepare(Path folder, Clock clock) throws IOException {
        Files.createDirectories(folder);
        Path file = folder.resolve(FILE);
        if (!Files.exists(file)) {
            try (Stream<Path> entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("store folder " + folder + " has content but no '" + FILE
                            + "' file; it was not written by certwatch, refusing to touch it");
                }
            }
            write(file, current);
            return true;
        }
        int found = read(file);
        if (found > current) {
            throw new IOException("store folder " + folder + " has format " + found
                    + ", newer than this server understands (" + current + "); use the newer certwatch"
                    + " that wrote it, or restore a backup");
        }
        if (found < current) {
            Path backup = folder.resolveSibling(folder.getFileName() + ".v" + found + ".backup-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
                            .format(clock.instant()));
            LOG.info("upgrading store folder " + folder + " from format " + found + " to " + current
                    + "; a copy of the old folder stays in " + backup);
            copyTree(folder, backup);
            for (int v = found; v < current; v++) {
                Migration step = migrations.get(v);
                if (step == null) {
                    throw new IOException("no upgrade from store format " + v + " to " + (v + 1));
                }
                step.upgrade(folder);
                write(file, v + 1);
            }
        }
        return false;
    }

    private static int read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IOException("store format file " + file + " does not hold a version number: '" + text + "'");
        }
    }

    private static void write(Path file, int version) throws IOException {
        DurableFiles.write(file, (version + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.copy(f, to.resolve(from.relativize(f).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
