package org.certwatch.snmp.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * The notification targets an admin set at run time, in {@code $CERTWATCH_DATA/snmp/targets} (0600:
 * v2c communities are secrets), one entry per line in the syntax of the {@code targets} key. They live
 * in the data folder, not in ConfigAdmin, because ConfigAdmin's store is rebuilt at every start. On a
 * shared backend the same bytes are a document every server applies. While the backend is absent
 * ({@link #use} null) the entries last read stay in force and a write is refused.
 */
final class ManagedTargets {
    private volatile StoredDocument file;
    private volatile List<String> last = List.of();
    /**
     * Whether {@link #last} must be read again: the pages ask for the targets on every request (the dashboard's
     * first steps), and on a shared backend each read was a query; the document's watch marks them stale.
     */
    private volatile boolean stale = true;

    /** No document until {@link #use} gives one. */
    ManagedTargets() {
    }

    ManagedTargets(Path file) {
        this(new FileDocument(file, true));
    }

    ManagedTargets(StoredDocument file) {
        this.file = file;
    }

    /** Where the entries live from now on; null while the backend that holds them is absent. */
    void use(StoredDocument document) {
        this.file = document;
        stale = true;
    }

    List<String> read() {
        StoredDocument file = this.file;
        if (file == null || !stale) {
            return last;
        }
        try {
            stale = false; // before the read: a change heard meanwhile marks it stale again
            Optional<byte[]> saved = file.read();
            if (saved.isEmpty()) {
                last = List.of();
                return last;
            }
            List<String> entries = new ArrayList<>();
            for (String line : new String(saved.get(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    entries.add(line.trim());
                }
            }
            last = List.copyOf(entries);
            return last;
        } catch (IOException | RuntimeException e) {
            stale = true;
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("cannot read " + file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the entries durably. */
    void write(List<String> entries) throws IOException {
        StoredDocument file = this.file;
        if (file == null) {
            throw new StorageUnavailableException("the SNMP notification targets cannot be saved: the storage backend"
                    + " is unavailable (the agent keeps the targets it has)", null);
        }
        file.write((String.join("\n", entries) + "\n").getBytes(StandardCharsets.UTF_8));
        last = List.copyOf(entries);
    }

    /** True if another server saved entries since this one last read or wrote them. */
    boolean changed() {
        StoredDocument file = this.file;
        if (file != null && file.changed().isPresent()) {
            stale = true;
            return true;
        }
        return false;
    }

    /** Calls {@code changed} when another server may have saved entries. */
    Subscription watch(Runnable changed) {
        StoredDocument file = this.file;
        return file == null ? () -> { } : file.watch(() -> {
            stale = true;
            changed.run();
        });
    }
}
