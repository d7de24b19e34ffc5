package org.certwatch.api.persistence;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Keyed values shared by every server: a whole document under one key (a directory, a settings
 * document) or one row per thing (a computer, a location). Every write is durable when it returns and
 * raises the key's version.
 */
public interface Documents {
    Optional<Document> get(String key);

    /** Writes (creates or replaces) the values and deletes the keys mapped to {@code null}, as one transaction. */
    void putAll(Map<String, byte[]> values);

    /** Writes one value; shorthand for {@code putAll(Map.of(key, value))}. */
    default void put(String key, byte[] value) {
        putAll(Map.of(key, value));
    }

    /**
     * Writes the value only if the key's version is still {@code expectedVersion} (0: the key must not
     * exist), for a read-modify-write that must not overwrite another server's change.
     *
     * @return the new version, or empty if the version had moved on (nothing written)
     */
    Optional<Long> putIfVersion(String key, long expectedVersion, byte[] value);

    /** Deletes the key; nothing happens if it does not exist. */
    void delete(String key);

    /** Streams every document in key order. */
    void scan(DocumentSink sink) throws Exception;

    /**
     * Calls {@code changed} with the keys written or deleted by any server (this one included), on a
     * thread the backend owns, within about a second of the commit. A key may be reported more than
     * once; readers re-read it. Closing the subscription stops the calls.
     */
    Subscription watch(Consumer<Set<String>> changed);

    /** Receives documents in key order. */
    @FunctionalInterface
    interface DocumentSink {
        void accept(Document document) throws Exception;
    }
}
