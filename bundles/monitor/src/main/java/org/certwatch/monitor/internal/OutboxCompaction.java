package org.certwatch.monitor.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * The outbox journal's compaction: its records replaced by the snapshot of the state they build
 * ({@link OutboxState#snapshot}, taken under the outbox's lock). On open the storage decides: a file journal is
 * rewritten at every open, a shared one when it is due. While running only a shared journal is compacted, by the
 * leader, once {@link MonitorStorage#compactionDue} (the records since the last checkpoint outnumber
 * {@code shared.compaction.records} and twice the last snapshot); {@link SharedMonitorStorage#compact} appends a
 * checkpoint and the snapshot right after the position it applied, so nothing slips in between, and truncates
 * before it.
 */
final class OutboxCompaction {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor.outbox");

    private final MonitorStorage storage;
    private final Supplier<List<Map<String, Object>>> snapshot;

    OutboxCompaction(MonitorStorage storage, Supplier<List<Map<String, Object>>> snapshot) {
        this.storage = storage;
        this.snapshot = snapshot;
    }

    /** Right after the replay, before anything else is appended. */
    void onOpen() throws IOException {
        storage.rewriteJournal(snapshot.get());
    }

    /** On the delivery thread of the leader; a failure leaves the journal as it was and delivery goes on. */
    void ifDue() {
        try {
            if (storage.compactionDue()) {
                storage.compact(snapshot);
            }
        } catch (RuntimeException e) {
            LOG.warning(storage.journalName() + " not compacted this time: " + e.getMessage());
        }
    }
}
