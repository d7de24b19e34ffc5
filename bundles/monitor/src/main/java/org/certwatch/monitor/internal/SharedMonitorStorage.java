package org.certwatch.monitor.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.SharedDocument;

/**
 * The monitor's state in a backend several servers share: the outbox journal is the {@link Journal}
 * {@value #JOURNAL}, one record per line {@link FileMonitorStorage} writes (the same JSON, without the
 * newline), and the definitions are the {@link SharedDocument} {@value #DEFINITIONS} of
 * {@value #DOCUMENTS} (the bytes of {@code notifications.json}), so moving between the backends is a copy.
 *
 * <p>Records are applied once each and in position order, whether the backend's follower or a
 * {@link #catchUp} delivers them; positions this server appended are skipped, their change is in
 * memory already.
 */
final class SharedMonitorStorage implements MonitorStorage {
    static final String JOURNAL = "monitor.outbox";
    static final String DOCUMENTS = "monitor";
    static final String DEFINITIONS = "notifications";
    /** The record that begins a compacted snapshot: who follows forgets what it holds and applies what comes. */
    static final String CHECKPOINT = "checkpoint";
    private static final int COMPACT_AFTER = 1000;
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor.outbox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Persistence persistence;
    private final int compactAfter;
    private final Journal journal;
    private final SharedDocument definitions;
    /** Held while a record is claimed and applied, so records apply one at a time and in order. */
    private final ReentrantLock applying = new ReentrantLock();
    /** Positions this server appended and the follower has not passed yet; its monitor spans an append. */
    private final Set<Long> own = new HashSet<>();
    private long applied;
    /** The position of the last checkpoint (0: none yet), how many records it began, where truncation ended. */
    private long checkpoint;
    private long snapshotSize;
    private long truncated;
    private volatile Consumer<Map<String, Object>> follower = r -> { };

    SharedMonitorStorage(Persistence persistence) {
        this(persistence, COMPACT_AFTER);
    }

    SharedMonitorStorage(Persistence persistence, int compactAfter) {
        this.compactAfter = compactAfter;
        this.persistence = persistence;
        this.journal = persistence.journal(JOURNAL);
        this.definitions = new SharedDocument(persistence, DOCUMENTS, DEFINITIONS);
    }

    @Override
    public void replayJournal(Consumer<Map<String, Object>> apply) throws IOException {
        applying.lock();
        try {
            applied = journal.read(applied, (position, record) -> parse(position, record).ifPresent(r -> {
                if (CHECKPOINT.equals(r.get("op"))) {
                    checkpoint = position;
                }
                apply.accept(r);
            }));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            applying.unlock();
        }
    }

    /** Compaction on open: the records replace the journal's when it has grown enough (see {@link #compact}). */
    @Override
    public void rewriteJournal(List<Map<String, Object>> records) {
        if (compactionDue()) {
            compact(() -> records);
        }
    }

    /** Due when the records since the last checkpoint outnumber twice the last snapshot and the configured count. */
    @Override
    public boolean compactionDue() {
        return applied - checkpoint >= Math.max(compactAfter, 2L * snapshotSize);
    }

    /**
     * Appends a {@value #CHECKPOINT} record and the snapshot right after the position this server applied last
     * ({@link Journal#appendAfter}: refused if anyone appended since, so the snapshot is the whole state at that
     * position), then truncates what lies before. A server following applies the checkpoint as "forget
     * everything" and the snapshot after it, so records it had not reached when they were truncated are not
     * missed; its own appends after the checkpoint are applied again on top, since the reset removed them.
     */
    @Override
    public void compact(Supplier<List<Map<String, Object>>> snapshot) {
        applying.lock();
        try {
            long head = applied;
            List<Map<String, Object>> records = snapshot.get();
            List<byte[]> lines = new ArrayList<>(records.size() + 1);
            lines.add(json(Map.of("op", CHECKPOINT), false));
            for (Map<String, Object> record : records) {
                lines.add(json(record, false));
            }
            long last;
            synchronized (own) {
                try {
                    last = journal.appendAfter(head, lines);
                } catch (Journal.ConflictException e) {
                    return; // another record came first: the next call snapshots again
                }
                for (long p = last - lines.size() + 1; p <= last; p++) {
                    own.add(p);
                }
            }
            checkpoint = last - lines.size() + 1;
            snapshotSize = lines.size();
            if (head > 0) {
                journal.truncate(head);
            }
            LOG.info(journalName() + " compacted: " + (head - truncated) + " records up to position " + head
                    + " replaced by " + lines.size() + " from position " + checkpoint);
            truncated = head;
        } finally {
            applying.unlock();
        }
    }

    @Override
    public void appendJournal(List<Map<String, Object>> records) {
        List<byte[]> lines = new ArrayList<>(records.size());
        for (Map<String, Object> record : records) {
            lines.add(json(record, false));
        }
        synchronized (own) {
            // one append is one transaction: its records hold the positions up to the one returned
            long last = journal.append(lines);
            for (long p = last - lines.size() + 1; p <= last; p++) {
                own.add(p);
            }
        }
    }

    @Override
    public String journalName() {
        return persistence.backend() + " journal " + JOURNAL;
    }

    @Override
    public Subscription followJournal(Consumer<Map<String, Object>> apply) {
        follower = apply;
        applying.lock();
        try {
            return journal.follow(applied, this::accept);
        } finally {
            applying.unlock();
        }
    }

    @Override
    public void catchUp() {
        applying.lock();
        try {
            journal.read(applied, this::accept);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            applying.unlock();
        }
    }

    private void accept(long position, byte[] record) {
        applying.lock();
        try {
            if (position <= applied) {
                return; // the follower and a catch-up both saw it
            }
            applied = position;
            boolean mine;
            synchronized (own) {
                mine = own.remove(position);
            }
            if (!mine) {
                Optional<Map<String, Object>> parsed = parse(position, record);
                parsed.ifPresent(follower);
                if (parsed.isPresent() && CHECKPOINT.equals(parsed.get().get("op"))) {
                    checkpoint = position;
                    // after the reset, not before: an append of this server's that slipped in between (applied
                    // here, then forgotten by the reset) would otherwise stay marked as applied and be lost; one
                    // made after the reset is applied twice, which its records allow
                    synchronized (own) {
                        own.removeIf(p -> p > position); // the reset forgot them: applied again when reached
                    }
                }
            }
        } finally {
            applying.unlock();
        }
    }

    @SuppressWarnings("unchecked")
    private Optional<Map<String, Object>> parse(long position, byte[] record) {
        try {
            return Optional.of(JSON.readValue(record, Map.class));
        } catch (IOException e) {
            LOG.warning(journalName() + " record " + position + " unreadable, ignored: " + e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public Optional<Map<String, Object>> readDefinitions() throws IOException {
        Optional<byte[]> saved = definitions.read();
        return saved.isEmpty() ? Optional.empty() : Optional.of(definitions(saved.get()));
    }

    @Override
    public void writeDefinitions(Map<String, Object> document) {
        // under exclusively() after changedDefinitions(): a refusal means a writer outside the lock
        definitions.write(json(document, true));
    }

    @Override
    public Optional<Map<String, Object>> changedDefinitions() {
        Optional<byte[]> saved = definitions.changed();
        try {
            return saved.isEmpty() ? Optional.empty() : Optional.of(definitions(saved.get()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Subscription watchDefinitions(Runnable changed) {
        return definitions.watch(changed);
    }

    @Override
    public <T> T exclusively(Supplier<T> work) {
        return definitions.exclusively(work);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> definitions(byte[] saved) throws IOException {
        try {
            return JSON.readValue(saved, Map.class);
        } catch (IOException e) {
            throw new IOException(definitions.name() + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] json(Map<String, Object> value, boolean pretty) {
        try {
            return pretty ? JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value) : JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The backend owns the connections; the follower's subscription is closed by its owner. */
    @Override
    public void close() {
    }
}
