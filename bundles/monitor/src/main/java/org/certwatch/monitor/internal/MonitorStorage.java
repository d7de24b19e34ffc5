package org.certwatch.monitor.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.certwatch.api.persistence.Subscription;

/**
 * Everything the monitor keeps between runs: the outbox journal (notices and "already notified"
 * state as records) and the notification definitions. Records are plain JSON-shaped maps, so a second
 * backend (PostgreSQL) implements only this interface and reuses the outbox, scheduling and notice
 * logic unchanged. {@link FileMonitorStorage} keeps them in {@code $CERTWATCH_DATA/monitor},
 * {@link SharedMonitorStorage} in a backend several servers share; the defaults below are what one
 * server alone needs (nobody else writes).
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

    /**
     * Hands {@code apply} the journal records other servers append after the replay, in order, on the
     * backend's thread; this server's own appends are left out (they are applied already).
     */
    default Subscription followJournal(Consumer<Map<String, Object>> apply) {
        return () -> { };
    }

    /** Applies, on the calling thread, what others appended and the follower has not applied yet. */
    default void catchUp() {
    }

    /**
     * Whether the journal has grown enough since its last compaction to be compacted while running (a shared
     * journal; a file journal is compacted on open only).
     */
    default boolean compactionDue() {
        return false;
    }

    /**
     * Compacts a running journal: {@code snapshot} is called with every record applied (nothing else is applied
     * meanwhile) and its records replace the journal's, unless another record was appended since — then nothing
     * changes and a later call tries again.
     */
    default void compact(Supplier<List<Map<String, Object>>> snapshot) {
    }

    /** The saved definitions if another server changed them since this one last read or wrote them. */
    default Optional<Map<String, Object>> changedDefinitions() {
        return Optional.empty();
    }

    /** Calls {@code changed} when another server may have changed the definitions. */
    default Subscription watchDefinitions(Runnable changed) {
        return () -> { };
    }

    /** Runs a read-check-write of the definitions (an id allocation) alone among the servers. */
    default <T> T exclusively(Supplier<T> work) {
        return work.get();
    }

    @Override
    void close() throws IOException;
}
