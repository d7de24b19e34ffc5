package org.certwatch.store.internal.persist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {
    @TempDir
    Path dir;

    private List<String> replay(Path file) throws Exception {
        List<String> records = new ArrayList<>();
        try (Journal journal = Journal.open(file, (position, payload) -> records.add(new String(payload,
                StandardCharsets.UTF_8)))) {
            return records;
        }
    }

    @Test
    void groupCommitKeepsOrderAndPositions() throws Exception {
        Path file = dir.resolve("j.log");
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        try (Journal journal = Journal.open(file, (p, b) -> { })) {
            for (int i = 0; i < 500; i++) {
                futures.add(journal.append(("record " + i).getBytes(StandardCharsets.UTF_8)));
            }
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
            assertArrayEquals("record 7".getBytes(StandardCharsets.UTF_8), journal.read(futures.get(7).join(), 8));
        }
        List<String> records = replay(file);
        assertEquals(500, records.size());
        assertEquals("record 499", records.get(499));
    }

    @Test
    void aCorruptOrTornTailIsCutOffAndAppendsContinueCleanly() throws Exception {
        Path file = dir.resolve("j.log");
        try (Journal journal = Journal.open(file, (p, b) -> { })) {
            journal.append("one".getBytes(StandardCharsets.UTF_8)).join();
            journal.append("two".getBytes(StandardCharsets.UTF_8)).join();
        }
        long size = Files.size(file);
        // flip a byte in the last record's payload: its checksum no longer matches
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(size - 1);
            raf.write('X');
        }
        assertEquals(List.of("one"), replay(file));
        assertEquals(size - 11, Files.size(file));
        // half a frame header
        Files.write(file, new byte[] {0, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        try (Journal journal = Journal.open(file, (p, b) -> { })) {
            journal.append("three".getBytes(StandardCharsets.UTF_8)).join();
        }
        assertEquals(List.of("one", "three"), replay(file));
    }

    @Test
    void appendAfterCloseFails() throws Exception {
        Journal journal = Journal.open(dir.resolve("j.log"), (p, b) -> { });
        journal.close();
        assertEquals(true, journal.append(new byte[] {1}).isCompletedExceptionally());
    }
}
