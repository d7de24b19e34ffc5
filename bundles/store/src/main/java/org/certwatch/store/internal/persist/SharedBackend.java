package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.store.internal.pki.Pem;

/**
 * The store on a backend shared by several servers ({@link Persistence}). What it keeps, by name:
 *
 * <pre>
 * store.meta                  documents: "current" names the current generation (a rekey switches it)
 * store.gen-NNNNNN.entries    journal: one record per transaction, the payload EntryCodec writes (the file
 *                             journal's records, so moving between backends is a copy)
 * store.gen-NNNNNN.blobs      documents: ca-key/&lt;id&gt; (CA keys), cert/&lt;id&gt; (certificate DER), key/&lt;id&gt; (peer
 *                             keys), encrypted under the generation's key password as in the file store
 * store.crls                  documents: &lt;caId&gt; the CA's current CRL (DER; the PEM is derived when read)
 * </pre>
 *
 * <p>Certificate and key bytes are stored in the blobs <em>before</em> the entry that names them, as the file store
 * writes a CA key before its entry, so nothing is projected after a commit and nothing needs repair. A locator is
 * {@code id * 2} for a certificate's DER and {@code id * 2 + 1} for its key. CA certificates need no projection:
 * readers take them from the entries.
 *
 * <p>Several servers: every change runs in {@link #exclusively} — under the cross-server lock {@value #LOCK}, after
 * applying what the others stored since — and appends with {@link Journal#appendAfter}, so it cannot overtake
 * another server's write. {@link #follow} applies the others' entries as they come; {@code applied} (the last
 * position in this server's index) makes each entry apply once, whoever reads it first.
 */
public final class SharedBackend implements StoreBackend {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");
    static final String LOCK = "store";
    static final String META = "store.meta";
    static final String CURRENT = "current";
    static final String CRLS = "store.crls";

    private final Persistence persistence;
    private final EntryCodec codec = new EntryCodec();
    /** True on a thread inside {@link #exclusively}: nested changes neither lock nor catch up again. */
    private final ThreadLocal<Boolean> holding = new ThreadLocal<>();
    private final Object applyLock = new Object();
    // replaced only by rewrite, under the store's exclusive lock; volatile for the lock-free reads
    private volatile String generation;
    private long generationVersion;
    /** Guarded by applyLock: every entry up to this position is in this server's index. */
    private long applied;
    /** Guarded by applyLock: where entries read from the journal go (open's sink, then the follower's). */
    private Sink applier;
    /** Guarded by applyLock: a followed entry was not applied, so the next one first catches up to it. */
    private boolean behind;
    /** Guarded by applyLock: where followed entries go once the open is done. */
    private Sink follower;
    private volatile Subscription following;
    private volatile Subscription generations;

    public SharedBackend(Persistence persistence) {
        this.persistence = persistence;
    }

    @Override
    public String where() {
        return "the " + persistence.backend() + " backend (" + journalName(generation) + ")";
    }

    @Override
    public Opened open(Sink sink) throws IOException {
        Documents meta = persistence.documents(META);
        Optional<Document> current = meta.get(CURRENT);
        if (current.isEmpty()) {
            // the first server on an empty database names generation 1; a server starting at the same moment reads it
            meta.putIfVersion(CURRENT, 0, utf8(StoreLayout.generationName(1)));
            current = meta.get(CURRENT);
        }
        Document named = current.orElseThrow(() -> new IOException("no current generation in " + META));
        generation = new String(named.value(), StandardCharsets.UTF_8);
        generationVersion = named.version();
        Entry.Header[] header = new Entry.Header[1];
        synchronized (applyLock) {
            applier = d -> {
                if (d.entry() instanceof Entry.Header h) {
                    header[0] = h;
                }
                sink.accept(d);
            };
            applied = 0;
            catchUp();
        }
        return new Opened(applied == 0, true, header[0]);
    }

    /** Applies what the journal holds beyond {@code applied}; call holding applyLock. */
    private void catchUp() throws IOException {
        try {
            applied = journal().read(applied, this::apply);
            behind = false;
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot read " + journalName(generation) + ": " + e.getMessage(), e);
        }
    }

    /** Applies one record unless it is applied already (this server wrote it, or read it another way first). */
    private void apply(long position, byte[] record) throws IOException {
        if (position <= applied) {
            return;
        }
        for (EntryCodec.Decoded d : codec.decode(0, record, true)) {
            applier.accept(located(d));
        }
        applied = position;
    }

    /** The id-based locators of a certificate's bytes in the blobs. */
    private static EntryCodec.Decoded located(EntryCodec.Decoded d) {
        if (d.entry() instanceof Entry.CertAdded c) {
            return new EntryCodec.Decoded(c, c.id() * 2, d.certificateLength(), c.id() * 2 + 1, d.keyLength());
        }
        return d;
    }

    @Override
    public <T, E extends Exception> T exclusively(Change<T, E> change) throws E {
        if (Boolean.TRUE.equals(holding.get())) {
            return change.run();
        }
        try {
            return persistence.exclusively(LOCK, () -> {
                holding.set(Boolean.TRUE);
                try {
                    try {
                        synchronized (applyLock) {
                            catchUp();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e.getMessage(), e); // not the change's own exception type
                    }
                    return change.run();
                } finally {
                    holding.remove();
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw StoreBackend.<E>rethrown(e); // the lock throws only unchecked exceptions itself
        }
    }

    @Override
    public Subscription follow(Follower peers) {
        synchronized (applyLock) {
            follower = peers::applied;
            applier = follower;
        }
        following = journal().follow(applied(), this::followed);
        generations = persistence.documents(META).watch(keys -> {
            if (keys.contains(CURRENT)) {
                peers.switched(); // this server's own switch too: reload tells
            }
        });
        return this::close;
    }

    @Override
    public boolean reload(Sink sink) throws IOException {
        Document current = persistence.documents(META).get(CURRENT)
                .orElseThrow(() -> new IOException("no current generation in " + META));
        String named = new String(current.value(), StandardCharsets.UTF_8);
        if (named.equals(generation)) {
            return false;
        }
        LOG.info("store: another server made " + named + " current (a key password change); reading it");
        switchTo(named, current.version(), sink);
        return true;
    }

    /** Follows the generation {@code next} from its start, its entries (and header) into {@code sink}. */
    private void switchTo(String next, long version, Sink sink) throws IOException {
        Subscription old = following;
        if (old != null) {
            old.close(); // not holding applyLock: a delivery in progress may wait for it
        }
        synchronized (applyLock) {
            generation = next;
            generationVersion = version;
            applier = sink;
            applied = 0;
            catchUp();
            applier = follower;
        }
        if (old != null) {
            following = journal().follow(applied(), this::followed);
        }
    }

    private long applied() {
        synchronized (applyLock) {
            return applied;
        }
    }

    private void followed(long position, byte[] record) {
        synchronized (applyLock) {
            try {
                if (behind) {
                    catchUp(); // never an entry before one that came earlier; this one comes with it
                } else {
                    apply(position, record);
                }
            } catch (IOException | RuntimeException e) {
                // tried again with the next followed entry or change on this server: entries apply in order
                behind = true;
                LOG.log(Level.WARNING, "cannot apply entry " + position + " of " + journalName(generation)
                        + " written by another server: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void commit(List<? extends Entry> entries) throws IOException {
        byte[] payload = codec.encode(entries);
        exclusively(() -> store(payload, entries));
    }

    /**
     * Stores at once, on the calling thread: the caller holds the lock ({@link #exclusively}) on its own thread,
     * workers of a bulk issuance append within it on theirs.
     */
    @Override
    public CompletableFuture<List<EntryCodec.Decoded>> append(List<? extends Entry> entries, Executor after) {
        try {
            byte[] payload = codec.encode(entries);
            store(payload, entries);
            List<EntryCodec.Decoded> decoded = new ArrayList<>();
            for (EntryCodec.Decoded d : codec.decode(0, payload)) {
                decoded.add(located(d));
            }
            return CompletableFuture.completedFuture(decoded);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The documents the entries name: each added certificate's DER and, when it has one, its encrypted key. */
    private static Map<String, byte[]> blobsOf(List<? extends Entry> entries) {
        Map<String, byte[]> bytes = new HashMap<>();
        for (Entry e : entries) {
            if (e instanceof Entry.CertAdded c) {
                bytes.put("cert/" + c.id(), c.certificate());
                if (c.encryptedKey().length > 0) {
                    bytes.put("key/" + c.id(), c.encryptedKey());
                }
            }
        }
        return bytes;
    }

    /** The certificates' bytes first, then the entry, right after the last applied one. */
    private long store(byte[] payload, List<? extends Entry> entries) throws IOException {
        Map<String, byte[]> bytes = blobsOf(entries);
        if (!bytes.isEmpty()) {
            blobs(generation).putAll(bytes);
        }
        synchronized (applyLock) {
            try {
                applied = journal().appendAfter(applied, List.of(payload));
                return applied;
            } catch (Journal.ConflictException e) {
                throw new IOException("another server wrote to " + journalName(generation)
                        + " outside the store's lock (position " + e.head() + "); nothing of this change is stored");
            }
        }
    }

    @Override
    public byte[] read(long position, int length) throws IOException {
        String key = ((position & 1) == 0 ? "cert/" : "key/") + (position >>> 1);
        return blobs(generation).get(key).map(Document::value)
                .orElseThrow(() -> new IOException(blobsName(generation) + " has no " + key));
    }

    /** The bytes were stored before the entry. */
    @Override
    public void project(Entry.CertAdded certificate) {
    }

    @Override
    public void unproject(long certificateId) {
        Map<String, byte[]> gone = new HashMap<>();
        gone.put("cert/" + certificateId, null);
        gone.put("key/" + certificateId, null);
        blobs(generation).putAll(gone);
    }

    @Override
    public void awaitFiles() {
    }

    /** Readers take CA certificates from the entries. */
    @Override
    public void writeCaCertificate(long caId, byte[] der) {
    }

    @Override
    public void writeCaKey(long caId, byte[] encryptedKey) {
        blobs(generation).put("ca-key/" + caId, encryptedKey);
    }

    @Override
    public byte[] readCaKey(long caId) throws IOException {
        return blobs(generation).get("ca-key/" + caId).map(Document::value)
                .orElseThrow(() -> new IOException(caKeyName(caId) + " does not exist"));
    }

    @Override
    public void deleteCaKey(long caId) {
        blobs(generation).delete("ca-key/" + caId);
    }

    @Override
    public void writeCrl(long caId, byte[] der) {
        persistence.documents(CRLS).put(Long.toString(caId), der);
    }

    @Override
    public Optional<byte[]> storedCrl(long caId) {
        return persistence.documents(CRLS).get(Long.toString(caId)).map(Document::value);
    }

    @Override
    public String crlName(long caId) {
        return CRLS + "/" + caId;
    }

    @Override
    public String caKeyName(long caId) {
        return blobsName(generation) + "/ca-key/" + caId;
    }

    @Override
    public byte[] readCrl(long caId, boolean pem) throws IOException {
        byte[] der = storedCrl(caId).orElseThrow(() -> new IOException(crlName(caId) + " does not exist"));
        return pem ? Pem.encode("X509 CRL", der) : der;
    }

    /** Nothing is written after its entry, so nothing can be missing after a crash. */
    @Override
    public int repair(List<CaCertificate> cas, List<StoredCertificate> certificates) {
        return 0;
    }

    /**
     * Writes the new generation under names no interrupted rekey used, switches {@value #CURRENT} with
     * {@code putIfVersion}, replays it and removes the old one. The caller holds the lock ({@link #exclusively}).
     */
    @Override
    public String rewrite(Rewrite rewrite, Sink sink) throws IOException, GeneralSecurityException {
        int number = StoreLayout.generationNumber(generation) + 1;
        while (persistence.journal(journalName(StoreLayout.generationName(number))).head() != 0) {
            number++; // left by a rekey that did not finish: never appended to
        }
        String next = StoreLayout.generationName(number);
        Journal target = persistence.journal(journalName(next));
        Documents targetBlobs = blobs(next);
        rewrite.write(new Generation() {
            @Override
            public void writeCaKey(long caId, byte[] encryptedKey) {
                targetBlobs.put("ca-key/" + caId, encryptedKey);
            }

            /** Stored with the certificate's entry by {@link #append}, in one write per batch. */
            @Override
            public void writeKey(long certificateId, byte[] encryptedKey) {
            }

            @Override
            public CompletableFuture<Long> append(List<? extends Entry> entries) {
                Map<String, byte[]> bytes = blobsOf(entries);
                if (!bytes.isEmpty()) {
                    targetBlobs.putAll(bytes);
                }
                return CompletableFuture.completedFuture(target.append(List.of(codec.encode(entries))));
            }
        });
        String previous = generation;
        Optional<Long> switched = persistence.documents(META).putIfVersion(CURRENT, generationVersion, utf8(next));
        if (switched.isEmpty()) {
            throw new IOException("another server switched the store's generation meanwhile; " + next + " is not used");
        }
        rewrite.switched();
        switchTo(next, switched.get(), d -> {
            if (!(d.entry() instanceof Entry.Header)) {
                sink.accept(d);
            }
        });
        removeGeneration(previous);
        return next;
    }

    private void removeGeneration(String old) {
        try {
            Journal journal = persistence.journal(journalName(old));
            journal.truncate(journal.head());
            Documents blobs = blobs(old);
            Map<String, byte[]> gone = new HashMap<>();
            blobs.scan(d -> gone.put(d.key(), null));
            blobs.putAll(gone);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the old generation " + old + " stays in the " + persistence.backend()
                    + " backend (unused): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (Subscription s : new Subscription[] {generations, following}) {
            if (s != null) {
                s.close();
            }
        }
        generations = null;
        following = null;
    }

    @Override
    public void abandon() {
        close();
    }

    private Journal journal() {
        return persistence.journal(journalName(generation));
    }

    private Documents blobs(String gen) {
        return persistence.documents(blobsName(gen));
    }

    static String journalName(String gen) {
        return "store." + gen + ".entries";
    }

    static String blobsName(String gen) {
        return "store." + gen + ".blobs";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
