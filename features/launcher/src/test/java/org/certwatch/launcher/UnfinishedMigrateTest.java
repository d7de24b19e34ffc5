package org.certwatch.launcher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.certwatch.commons.persistence.UnfinishedMigrate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server does not start on a data folder that a cut-short {@code certwatch migrate --to file} was filling. */
class UnfinishedMigrateTest {
    @TempDir
    Path data;

    @Test
    void aFolderWithTheMigratesMarkIsRefusedSayingHowToGoOn() throws Exception {
        Files.writeString(data.resolve("fleet.json"), "{}");
        Files.writeString(data.resolve(Migrate.MARKER_FILE), "from pid 4242\n");
        LauncherException refused = assertThrows(LauncherException.class, () -> Main.refuseUnfinishedMigrate(data));
        String line = refused.getMessage();
        assertTrue(line.contains("an unfinished certwatch migrate (.migrate-in-progress, from pid 4242)"), line);
        assertTrue(line.contains("run it again (certwatch migrate --to file --data " + data + ")"), line);
        assertTrue(line.contains("or remove " + data.resolve(".migrate-in-progress")), line);
        assertTrue(Files.exists(data.resolve("fleet.json")), "nothing in the folder is touched");
    }

    @Test
    void aFolderWithoutItStarts() throws Exception {
        Main.refuseUnfinishedMigrate(data);
        Files.writeString(data.resolve("fleet.json"), "{}");
        Main.refuseUnfinishedMigrate(data);
        // what a verified migrate leaves: the mark removed
        Files.writeString(data.resolve(UnfinishedMigrate.FILE), "from pid 1\n");
        Files.delete(data.resolve(UnfinishedMigrate.FILE));
        Main.refuseUnfinishedMigrate(data);
    }
}
