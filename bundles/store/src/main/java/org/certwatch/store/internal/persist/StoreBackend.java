package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.certwatch.api.persistence.Subscription;

/**
 * What the store keeps on disk, and nothing else: the entry log (journal), the CA key files, the
 * projections an admin reads (certificate and key PEMs, CRLs) and the key-password generations. The
 * PKI, import and recovery logic above it only sees entries and ids, so another backend (a database)
 * replaces this layer alone. Certificate and key bytes are addressed by the locator the backend gave
 * when it replayed or appended them ({@link EntryCodec.Decoded}).
 */
public interface StoreBackend {

    /** How the open found the store. */
    record Opened(boolean freshlyCreated, boolean wasClean, Entry.Header header) {
    }

    /** Receives every stored entry in order, on open and on reload. */
    @FunctionalInterface
    interface Sink {
        void accept(EntryCodec.Decoded entry) throws IOException;
    }

    /** A certificate whose projections a repair checks. */
    record StoredCertificate(long id, long certificatePosition, int certificateLength, long keyPosition,
            int keyLength) {
    }

    /** Opens (or creates) the storage and replays every entry into {@code sink}, the header first. */
    Opened open(Sink sink) throws IOException;

    /** Appends entries as one durable transaction and waits for it. */
    void commit(List<? extends Entry> entries) throws IOException;

    /** Appends entries as one transaction; once durable, decodes them (with their locators) on {@code after}. */
    CompletableFuture<List<EntryCodec.Decoded>> append(List<? extends Entry> entries, Executor after);

    /** Stored bytes (a certificate's DER, an encrypted key) at a locator. */
    byte[] read(long position, int length) throws IOException;

    /** Queues the readable files of a committed certificate (they follow the durable entry shortly). */
    void project(Entry.CertAdded certificate);

    /** Removes the readable files of a deleted certificate (none left is no error). */
    void unproject(long certificateId) throws IOException;

    /** Waits until every queued projection is written. */
    void awaitFiles() throws IOException;

    void writeCaCertificate(long caId, byte[] der) throws IOException;

    /** Durably, before the CA's entry: a CA record must never exist without its key. */
    void writeCaKey(long caId, byte[] encryptedKey) throws IOException;

    byte[] readCaKey(long caId) throws IOException;

    void deleteCaKey(long caId) throws IOException;

    /** Writes a CA's CRL (DER and PEM) durably. */
    void writeCrl(long caId, byte[] der) throws IOException;

    /** The CA's stored CRL (DER), if both of its files exist. */
    Optional<byte[]> storedCrl(long caId) throws IOException;

    /** Where a CA's CRL is kept, for messages. */
    String crlName(long caId);

    /** Where a CA's key is kept, for messages. */
    String caKeyName(long caId);

    byte[] readCrl(long caId, boolean pem) throws IOException;

    /** After an unclean stop: rewrites every projection that is missing or damaged; returns how many. */
    int repair(List<CaCertificate> cas, List<StoredCertificate> certificates) throws IOException;

    /** A CA certificate whose projection a repair checks. */
    record CaCertificate(long id, byte[] der) {
    }

    /** Writes a complete new generation of the store (key password change). */
    interface Rewrite {
        void write(Generation target) throws IOException, GeneralSecurityException;

        /** The new generation is current; its entries are replayed next. */
        void switched();
    }

    /** The generation being written by a {@link Rewrite}. */
    interface Generation {
        void writeCaKey(long caId, byte[] encryptedKey) throws IOException;

        void writeKey(long certificateId, byte[] encryptedKey) throws IOException;

        CompletableFuture<Long> append(List<? extends Entry> entries);
    }

    /**
     * Writes a new generation, switches to it atomically, replays it (without its header) into
     * {@code sink} and removes the old one. A crash before the switch keeps the old generation.
     */
    String rewrite(Rewrite rewrite, Sink sink) throws IOException, GeneralSecurityException;

    /** Work that reads the stored state, checks it and writes. */
    @FunctionalInterface
    interface Change<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Runs a change so that no other writer's change interleaves with it: the file store has none and runs it as
     * is; a shared backend holds its cross-server lock and first applies what other servers stored, so the checks
     * see the latest state. Nested calls on the same thread run as they are.
     */
    <T, E extends Exception> T exclusively(Change<T, E> change) throws E;

    /** What other servers sharing the store do, as this server takes it in. */
    interface Follower {
        /** An entry another server stored, after every entry before it. */
        void applied(EntryCodec.Decoded entry) throws IOException;

        /** Another server made a new generation current (a rekey): {@link #reload} switches this server to it. */
        void switched();
    }

    /**
     * After the open: passes what other servers store from now on to {@code follower}, on a thread the backend
     * owns, until the returned subscription is closed. The file store has no other writers.
     */
    Subscription follow(Follower follower);

    /**
     * If another server made a new generation current, switches to it and replays it into {@code sink}, its header
     * first; call within {@link #exclusively}, with no change of this server running.
     *
     * @return false when the current generation is this server's already
     */
    boolean reload(Sink sink) throws IOException;

    /** Where the store is kept, for messages. */
    String where();

    /** Closes and marks the store cleanly closed (every projection written). */
    void close() throws IOException;

    /** Closes after a failure or crash, without the clean marker. */
    void abandon();

    /** A checked exception of a {@link Change} passed on as the type the change declared. */
    @SuppressWarnings("unchecked")
    static <E extends Exception> E rethrown(Exception e) {
        return (E) e;
    }
}
