package org.certwatch.commons.persistence;

import java.util.Optional;
import java.util.function.Supplier;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;

/**
 * A {@link StoredDocument} under one key of a shared backend's {@link Documents}; the lock of
 * {@link #exclusively} is named after the key. It remembers the version it last read or wrote: a write
 * over a version another server moved is refused, and {@link #changed} reports only others' writes.
 */
public final class SharedDocument implements StoredDocument {
    private final Persistence persistence;
    private final String documents;
    private final String key;
    private long version;

    /** The document {@code key} of the backend's {@code documents} (named after the bundle). */
    public SharedDocument(Persistence persistence, String documents, String key) {
        this.persistence = persistence;
        this.documents = documents;
        this.key = key;
    }

    @Override
    public synchronized Optional<byte[]> read() {
        Optional<Document> saved = persistence.documents(documents).get(key);
        version = saved.map(Document::version).orElse(0L);
        return saved.map(Document::value);
    }

    @Override
    public synchronized void write(byte[] bytes) {
        version = persistence.documents(documents).putIfVersion(key, version, bytes)
                .orElseThrow(() -> new IllegalStateException(name() + " was changed on another server meanwhile; try again"));
    }

    @Override
    public synchronized Optional<byte[]> changed() {
        Optional<Document> saved = persistence.documents(documents).get(key);
        long now = saved.map(Document::version).orElse(0L);
        if (now == version || saved.isEmpty()) {
            return Optional.empty();
        }
        version = now;
        return saved.map(Document::value);
    }

    @Override
    public Subscription watch(Runnable changed) {
        return persistence.documents(documents).watch(keys -> {
            if (keys.contains(key)) {
                changed.run();
            }
        });
    }

    @Override
    public <T> T exclusively(Supplier<T> work) {
        try {
            return persistence.exclusively(documents + "." + key, work::get);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageUnavailableException(name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return persistence.backend() + " document " + documents + "/" + key;
    }
}
