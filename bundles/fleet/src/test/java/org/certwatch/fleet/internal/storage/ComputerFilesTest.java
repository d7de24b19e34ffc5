package org.certwatch.fleet.internal.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.certwatch.api.fleet.PolicyState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComputerFilesTest {
    @TempDir
    Path folder;

    private static ComputerRow row(long id, int replications) {
        return new ComputerRow(id, "pc-" + id, "All", 10 + id, 1, "ab:cd", Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2026-01-01T00:00:00Z").plusSeconds(replications), replications, "1.0", "pc-" + id, 0,
                PolicyState.State.NONE, "", null, 0, false);
    }

    private Map<Long, ComputerRow> read() throws Exception {
        try (ComputerFiles files = new ComputerFiles(folder, 1)) {
            return files.read().orElseThrow().computers().stream()
                    .collect(Collectors.toMap(ComputerRow::id, Function.identity()));
        }
    }

    @Test
    void aChangeCostsOneLineAndTheLastRowOfAComputerWins() throws Exception {
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            assertTrue(files.read().isEmpty());
            files.append(List.of(row(1, 1), row(2, 1)));
            long size = Files.size(folder.resolve("computers.log"));
            files.append(List.of(row(1, 2)));
            long line = Files.size(folder.resolve("computers.log")) - size;
            assertTrue(line < 500, "one row appended: " + line + " bytes");
        }
        Map<Long, ComputerRow> rows = read();
        assertEquals(row(1, 2), rows.get(1L));
        assertEquals(row(2, 1), rows.get(2L));
        assertFalse(Files.exists(folder.resolve("computers.json")), "no snapshot below the compaction size");
    }

    @Test
    void aTornLastLineWasNeverAcknowledgedAndIsCutOff() throws Exception {
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            files.read();
            files.append(List.of(row(1, 1)));
        }
        Path log = folder.resolve("computers.log");
        long whole = Files.size(log);
        Files.write(log, "{\"id\":1,\"name\":\"pc-1\",\"gro".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            assertEquals(row(1, 1), files.read().orElseThrow().computers().get(0));
            assertEquals(whole, Files.size(log), "the torn line is cut off before the next append");
            files.append(List.of(row(1, 3)));
        }
        assertEquals(row(1, 3), read().get(1L));
    }

    @Test
    void compactionMergesTheLogIntoTheSnapshotWhileAppendsGoOn() throws Exception {
        try (ComputerFiles files = new ComputerFiles(folder, 2000)) {
            files.read();
            for (int i = 1; i <= 40; i++) {
                files.append(List.of(row(i % 7, i)));
            }
        } // close waits for the compaction under way
        assertTrue(Files.exists(folder.resolve("computers.json")), "compacted into a snapshot");
        assertFalse(Files.exists(folder.resolve("computers.log.old")));
        // the last append may have rotated the log, and a new one is made only by the next append
        Path log = folder.resolve("computers.log");
        assertTrue(!Files.exists(log) || Files.readAllLines(log).size() < 40, "the log started again");
        Map<Long, ComputerRow> rows = read();
        assertEquals(7, rows.size());
        for (int i = 34; i <= 40; i++) {
            assertEquals(row(i % 7, i), rows.get((long) (i % 7)));
        }
    }

    @Test
    void aCrashBetweenSnapshotAndDeletingTheOldLogReadsTheSameRows() throws Exception {
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            files.read();
            files.append(List.of(row(1, 1), row(2, 1)));
        }
        // what a compaction interrupted after writing the snapshot leaves: the old log, already in the snapshot
        Files.copy(folder.resolve("computers.log"), folder.resolve("computers.log.old"));
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            files.read();
            files.compact();
        }
        Files.copy(folder.resolve("computers.log"), folder.resolve("computers.log.old"));
        Files.delete(folder.resolve("computers.log"));
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            files.read();
            files.append(List.of(row(2, 5)));
        }
        Map<Long, ComputerRow> rows = read();
        assertEquals(row(1, 1), rows.get(1L));
        assertEquals(row(2, 5), rows.get(2L), "the newer log wins over the replayed old one");
    }

    @Test
    void aSnapshotOfAnotherFormatIsRefusedNotMisread() throws Exception {
        Files.writeString(folder.resolve("computers.json"), "{\"format\":2,\"computers\":[{\"id\":1}]}");
        try (ComputerFiles files = new ComputerFiles(folder, Long.MAX_VALUE)) {
            IOException e = assertThrows(IOException.class, files::read);
            assertTrue(e.getMessage().contains("unknown format 2"), e.getMessage());
        }
    }
}
