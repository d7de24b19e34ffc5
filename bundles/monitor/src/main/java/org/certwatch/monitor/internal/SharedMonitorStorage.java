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
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor.outbox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Persistence persistence;
    private final Journal journal;
    private final SharedDocument definitions;
    /** Held while a record is claimed and applied, so records apply one at a time and in order. */
    private final ReentrantLock applying = new ReentrantLock();
    /** Positions this server appended and the follower has not passed yet; its monitor spans an append. */
    private final Set<Long> own = new HashSet<>();
    private long applied;
    private volatile Consumer<Map<String, Object>> follower = r -> { };

    SharedMonitorStorage(Persistence persistence) {
        this.persistence = persistence;
        this.journal = persistence.journal(JOURNAL);
        this.definitions = new SharedDocument(persistence, DOCUMENTS, DEFINITIONS);
    }

    @Override
    public void replayJournal(Consumer<Map<String, Object>> apply) throws IOException {
        applying.lock();
        try {
            applied = journal.read(applied, (position, record) -> parse(position, record).ifPresent(apply));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        } finally {
            applying.unlock();
        }
    }

    /**
     * Keeps the shared journal as it is: other servers follow it, and compacted copies of notices they
     * already delivered would queue them again.
     */
    @Override
    public void rewriteJournal(List<Map<String, Object>> records) {
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
                parse(position, record).ifPresent(follower);
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
