package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certwatch migrate's refusals that come before any database or file is touched. */
class MigrateRefusalsTest {
    @TempDir
    Path root;

    private Migrate.Options parse(String... args) {
        return Migrate.Options.parse(args, LauncherSettings.from(Map.of(), root, root));
    }

    @Test
    void anUnknownTargetIsNamed() {
        LauncherException e = assertThrows(LauncherException.class, () -> parse("--to", "mysql"));
        assertTrue(e.getMessage().startsWith("migrate: unknown target 'mysql': --to postgresql or --to file\nusage: "),
                e.getMessage());
        assertTrue(assertThrows(LauncherException.class, () -> parse("--data", "x")).getMessage()
                .startsWith("migrate: --to postgresql or --to file is required"));
    }

    @Test
    void aSourceFolderThatDoesNotExistIsRefusedAndNotCreated() {
        Path missing = root.resolve("no-such-data");
        Migrate.Options options = parse("--to", "postgresql", "--data", missing.toString());
        LauncherException e = assertThrows(LauncherException.class,
                () -> new Migrate(new PrintStream(new ByteArrayOutputStream()), Map.of()).run(options));
        assertTrue(e.getMessage().startsWith("no data folder " + missing + " to copy"), e.getMessage());
        assertFalse(Files.exists(missing), "nothing made there");
    }
}
