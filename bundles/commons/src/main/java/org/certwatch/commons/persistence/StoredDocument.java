package org.certwatch.commons.persistence;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import org.certwatch.api.persistence.Subscription;

/**
 * One document a bundle keeps whole (a book of watches or endpoints, the SMTP settings, the SNMP
 * targets): the same bytes in a file of the data folder ({@link FileDocument}) or under one key of a
 * shared backend ({@link SharedDocument}). A write is durable when it returns. The defaults are what a
 * server alone needs: nobody else writes.
 */
public interface StoredDocument {
    /** The saved bytes, empty when never saved; what this server read is its view from now on. */
    Optional<byte[]> read() throws IOException;

    /**
     * Replaces the saved bytes.
     *
     * @throws IOException when they could not be written; nothing changed
     * @throws IllegalStateException when another server wrote since this one's last read or write
     */
    void write(byte[] bytes) throws IOException;

    /** The bytes another server saved since this one last read or wrote them; empty if none. */
    default Optional<byte[]> changed() {
        return Optional.empty();
    }

    /** Calls {@code changed} (on the backend's thread) when another server may have written. */
    default Subscription watch(Runnable changed) {
        return () -> { };
    }

    /**
     * Runs a read-check-write (an id allocation, a duplicate check) alone among the servers; the work
     * starts with {@link #changed} to act on the latest bytes.
     */
    default <T> T exclusively(Supplier<T> work) {
        return work.get();
    }

    /** Where the document lives, for messages. */
    String name();
}
