package org.certwatch.monitor.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the monitor keeps between runs: the outbox journal (notices and "already notified"
 * state as records) and the notification definitions. Records are plain JSON-shaped maps, so a second
 * backend (PostgreSQL) implements only this interface and reuses the outbox, scheduling and notice
 * logic unchanged. {@link FileMonitorStorage} keeps them in {@code $CERTWATCH_DATA/monitor}.
 */
interface MonitorStorage extends AutoCloseable {
    /** Hands every journal record to {@code apply}, oldest first; a torn record of a crash is skipped. */
    void replayJournal(Consumer<Map<String, Object>> apply) throws IOException;

    /** Replaces the whole journal by {@code records} (compaction on open); appends follow it. */
    void rewriteJournal(List<Map<String, Object>> records) throws IOException;

    /**
     * Makes {@code records} durable together (one flush) or not at all.
     *
     * @throws java.io.UncheckedIOException naming the journal, when they could not be written (disk full)
     */
    void appendJournal(List<Map<String, Object>> records);

    /** The journal's name for log lines. */
    String journalName();

    /** The saved notification definitions, empty when none were ever saved. */
    Optional<Map<String, Object>> readDefinitions() throws IOException;

    /**
     * Replaces the saved notification definitions.
     *
     * @throws java.io.UncheckedIOException naming where, when they could not be saved
     */
    void writeDefinitions(Map<String, Object> document);

    @Override
    void close() throws IOException;
}
