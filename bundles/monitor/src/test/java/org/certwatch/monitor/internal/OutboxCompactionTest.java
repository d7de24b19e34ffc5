package org.certwatch.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox journal's compaction on its own: on open, and while running when the storage says it is due. */
class OutboxCompactionTest {
    private static final List<Map<String, Object>> SNAPSHOT = List.of(
            Map.of("op", "state", "notification", "n", "key", 7, "value", 30));

    @TempDir
    java.nio.file.Path dir;

    @Test
    void onOpenTheFileJournalIsRewrittenToTheSnapshot() throws IOException {
        try (FileMonitorStorage storage = new FileMonitorStorage(dir)) {
            storage.rewriteJournal(List.of(Map.of("op", "forget", "notification", "old"),
                    Map.of("op", "discard", "id", "x")));
            new OutboxCompaction(storage, () -> SNAPSHOT).onOpen();
        }
        List<Map<String, Object>> replayed = new ArrayList<>();
        try (FileMonitorStorage storage = new FileMonitorStorage(dir)) {
            storage.replayJournal(replayed::add);
        }
        assertEquals(SNAPSHOT, replayed);
    }

    @Test
    void whileRunningItCompactsOnlyWhenDueAndAFailureLeavesDeliveryGoingOn() {
        DueStorage storage = new DueStorage();
        OutboxCompaction compaction = new OutboxCompaction(storage, () -> SNAPSHOT);
        compaction.ifDue();
        assertEquals(List.of(), storage.compacted, "not due: nothing");
        storage.due = true;
        compaction.ifDue();
        assertEquals(List.of(SNAPSHOT), storage.compacted, "due: compacted with the snapshot");
        storage.failing = true;
        compaction.ifDue(); // logged, not thrown: the caller's delivery round goes on
        assertEquals(1, storage.compacted.size());
    }

    /** A running journal that is due when told, and whose compaction fails when told. */
    private static final class DueStorage implements MonitorStorage {
        final List<List<Map<String, Object>>> compacted = new ArrayList<>();
        boolean due;
        boolean failing;

        @Override
        public boolean compactionDue() {
            return due;
        }

        @Override
        public void compact(Supplier<List<Map<String, Object>>> snapshot) {
            if (failing) {
                throw new IllegalStateException("the database refused the checkpoint");
            }
            compacted.add(snapshot.get());
        }

        @Override
        public void replayJournal(Consumer<Map<String, Object>> apply) {
        }

        @Override
        public void rewriteJournal(List<Map<String, Object>> records) {
        }

        @Override
        public void appendJournal(List<Map<String, Object>> records) {
        }

        @Override
        public String journalName() {
            return "due journal";
        }

        @Override
        public Optional<Map<String, Object>> readDefinitions() {
            return Optional.empty();
        }

        @Override
        public void writeDefinitions(Map<String, Object> document) {
        }

        @Override
        public void close() {
        }
    }
}
