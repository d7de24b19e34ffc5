package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.files.DurableFiles;
import org.certwatch.store.internal.pki.Pem;

/**
 * The store in a folder ({@link StoreLayout}): an append-only journal per key-password generation,
 * CA key files, and projections written after the journal is durable, repaired after a crash.
 */
public final class FileBackend implements StoreBackend {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final Path folder;
    private final Clock clock;
    private final FormatVersion format;
    private final EntryCodec codec = new EntryCodec();
    private final Projector projector = new Projector();
    // replaced only by rewrite, under the store's write lock; volatile for the lock-free reads
    private volatile StoreLayout layout;
    private volatile Journal journal;

    public FileBackend(Path folder, Clock clock, FormatVersion format) {
        this.folder = folder;
        this.clock = clock;
        this.format = format;
    }

    @Override
    public Opened open(Sink sink) throws IOException {
        boolean freshlyCreated = format.prepare(folder, clock);
        Path current = folder.resolve(StoreLayout.CURRENT);
        if (!Files.exists(current)) {
            writeCurrent(StoreLayout.generationName(1));
        }
        layout = new StoreLayout(folder, Files.readString(current, StandardCharsets.UTF_8).strip());
        DurableFiles.createDirectories(layout.generationFolder());
        removeStaleGenerations();
        Path cleanMarker = folder.resolve(StoreLayout.CLEAN);
        boolean wasClean = Files.deleteIfExists(cleanMarker);
        if (wasClean) {
            DurableFiles.fsyncDirectory(folder);
        }
        Entry.Header[] header = new Entry.Header[1];
        boolean[] content = new boolean[1];
        journal = Journal.open(layout.journal(), (position, payload) -> {
            for (EntryCodec.Decoded d : codec.decode(position, payload, true)) {
                if (d.entry() instanceof Entry.Header h) {
                    header[0] = h;
                } else if (d.entry() instanceof Entry.CaAdded || d.entry() instanceof Entry.CertAdded) {
                    content[0] = true;
                }
                sink.accept(d);
            }
        });
        if (header[0] == null && content[0]) {
            throw new IOException("journal " + layout.journal() + " has no header record");
        }
        return new Opened(freshlyCreated, wasClean, header[0]);
    }

    private void writeCurrent(String generation) throws IOException {
        DurableFiles.write(folder.resolve(StoreLayout.CURRENT),
                (generation + "\n").getBytes(StandardCharsets.UTF_8), false);
    }

    /** A rekey that crashed leaves either an unfinished new generation or a replaced old one. */
    private void removeStaleGenerations() throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "gen-*")) {
            for (Path dir : entries) {
                if (!dir.getFileName().toString().equals(layout.generation())) {
                    LOG.info("removing " + dir + ", left over by an interrupted key password change");
                    deleteTree(dir);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Only this server writes its folder: the store's own locks order its changes. */
    @Override
    public <T, E extends Exception> T exclusively(Change<T, E> change) throws E {
        return change.run();
    }

    @Override
    public Subscription follow(Follower follower) {
        return () -> { };
    }

    @Override
    public boolean reload(Sink sink) {
        return false;
    }

    @Override
    public String where() {
        return folder.toString();
    }

    @Override
    public void commit(List<? extends Entry> entries) throws IOException {
        try {
            journal.append(codec.encode(entries)).join();
        } catch (CompletionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause()); // it names the journal file
        }
    }

    /** The decoding runs on {@code after}, so the journal's writer thread only ever writes the journal. */
    @Override
    public CompletableFuture<List<EntryCodec.Decoded>> append(List<? extends Entry> entries, Executor after) {
        byte[] payload = codec.encode(entries);
        return journal.append(payload).thenApplyAsync(position -> {
            try {
                return codec.decode(position, payload);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, after);
    }

    @Override
    public byte[] read(long position, int length) throws IOException {
        return journal.read(position, length);
    }

    @Override
    public void project(Entry.CertAdded c) {
        projector.write(layout.certificate(c.id()), Pem.encode("CERTIFICATE", c.certificate()), false);
        if (c.encryptedKey().length > 0) {
            projector.write(layout.key(c.id()), Pem.encode("ENCRYPTED PRIVATE KEY", c.encryptedKey()), true);
        }
    }

    @Override
    public void unproject(long certificateId) throws IOException {
        // a queued write of the same file must not bring it back
        projector.drain();
        Files.deleteIfExists(layout.certificate(certificateId));
        Files.deleteIfExists(layout.key(certificateId));
    }

    @Override
    public void awaitFiles() throws IOException {
        projector.drain();
    }

    @Override
    public void writeCaCertificate(long caId, byte[] der) throws IOException {
        projector.writeNow(layout.caCertificate(caId), Pem.encode("CERTIFICATE", der), false);
    }

    @Override
    public void writeCaKey(long caId, byte[] encryptedKey) throws IOException {
        DurableFiles.createDirectories(layout.caKey(caId).getParent());
        DurableFiles.write(layout.caKey(caId), Pem.encode("ENCRYPTED PRIVATE KEY", encryptedKey), true);
    }

    @Override
    public byte[] readCaKey(long caId) throws IOException {
        return pemBody(Files.readAllBytes(layout.caKey(caId)));
    }

    /** The bytes of a PEM file this backend wrote (one block). */
    static byte[] pemBody(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        return Base64.getDecoder().decode(text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
    }

    /** Appends a payload exactly as another store encoded it (a migration), durably. */
    void appendPayload(byte[] payload) throws IOException {
        try {
            journal.append(payload).join();
        } catch (CompletionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public String caKeyName(long caId) {
        return layout.caKey(caId).toString();
    }

    @Override
    public void deleteCaKey(long caId) throws IOException {
        if (Files.deleteIfExists(layout.caKey(caId))) {
            DurableFiles.fsyncDirectory(layout.caKey(caId).getParent());
        }
    }

    @Override
    public void writeCrl(long caId, byte[] der) throws IOException {
        DurableFiles.createDirectories(layout.crl(0, false).getParent());
        writeCrlFile(layout.crl(caId, false), der);
        writeCrlFile(layout.crl(caId, true), Pem.encode("X509 CRL", der));
    }

    /** The error names the file: "No space left on device" alone does not tell an admin where. */
    private static void writeCrlFile(Path file, byte[] content) throws IOException {
        try {
            DurableFiles.write(file, content, false);
        } catch (IOException e) {
            throw new IOException("CRL " + file + " not written: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> storedCrl(long caId) throws IOException {
        Path file = layout.crl(caId, false);
        if (Files.exists(file) && Files.exists(layout.crl(caId, true))) {
            return Optional.of(Files.readAllBytes(file));
        }
        return Optional.empty();
    }

    @Override
    public String crlName(long caId) {
        return layout.crl(caId, false).toString();
    }

    @Override
    public byte[] readCrl(long caId, boolean pem) throws IOException {
        return Files.readAllBytes(layout.crl(caId, pem));
    }

    /** Every projection must exist with the size its journal bytes give. */
    @Override
    public int repair(List<CaCertificate> cas, List<StoredCertificate> certificates) throws IOException {
        int repaired = 0;
        for (CaCertificate ca : cas) {
            byte[] pem = Pem.encode("CERTIFICATE", ca.der());
            Path file = layout.caCertificate(ca.id());
            if (!Files.exists(file) || Files.size(file) != pem.length) {
                projector.writeNow(file, pem, false);
                repaired++;
            }
        }
        for (StoredCertificate s : certificates) {
            long id = s.id();
            Path file = layout.certificate(id);
            if (!Files.exists(file) || Files.size(file) != Pem.encodedSize("CERTIFICATE", s.certificateLength())) {
                projector.writeNow(file, Pem.encode("CERTIFICATE", journal.read(s.certificatePosition(),
                        s.certificateLength())), false);
                repaired++;
            }
            if (s.keyLength() > 0) {
                Path key = layout.key(id);
                if (!Files.exists(key) || Files.size(key) != Pem.encodedSize("ENCRYPTED PRIVATE KEY", s.keyLength())) {
                    projector.writeNow(key, Pem.encode("ENCRYPTED PRIVATE KEY", journal.read(s.keyPosition(),
                            s.keyLength())), true);
                    repaired++;
                }
            }
        }
        removeTemporaryFiles();
        return repaired;
    }

    private void removeTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(DurableFiles.TEMP_SUFFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String rewrite(Rewrite rewrite, Sink sink) throws IOException, GeneralSecurityException {
        projector.drain();
        String nextGeneration = StoreLayout.generationName(StoreLayout.generationNumber(layout.generation()) + 1);
        StoreLayout target = new StoreLayout(folder, nextGeneration);
        if (Files.exists(target.generationFolder())) {
            deleteTree(target.generationFolder());
        }
        DurableFiles.createDirectories(target.generationFolder());
        try (Journal out = Journal.open(target.journal(), (p, b) -> { })) {
            rewrite.write(new Generation() {
                @Override
                public void writeCaKey(long caId, byte[] encryptedKey) throws IOException {
                    DurableFiles.createDirectories(target.caKey(caId).getParent());
                    DurableFiles.write(target.caKey(caId), Pem.encode("ENCRYPTED PRIVATE KEY", encryptedKey), true);
                }

                @Override
                public void writeKey(long certificateId, byte[] encryptedKey) throws IOException {
                    Path keyFile = target.key(certificateId);
                    DurableFiles.createDirectories(keyFile.getParent());
                    DurableFiles.writeVisible(keyFile, Pem.encode("ENCRYPTED PRIVATE KEY", encryptedKey), true);
                }

                @Override
                public CompletableFuture<Long> append(List<? extends Entry> entries) {
                    return out.append(codec.encode(entries));
                }
            });
        }
        // the key projections were written without fsync; make the new generation durable as a whole
        syncTree(target.generationFolder());
        writeCurrent(nextGeneration);
        StoreLayout previous = layout;
        journal.close();
        layout = target;
        rewrite.switched();
        journal = Journal.open(layout.journal(), (position, payload) -> {
            for (EntryCodec.Decoded d : codec.decode(position, payload, true)) {
                if (!(d.entry() instanceof Entry.Header)) {
                    sink.accept(d);
                }
            }
        });
        deleteTree(previous.generationFolder());
        DurableFiles.fsyncDirectory(folder);
        return nextGeneration;
    }

    private static void syncTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                try (var channel = java.nio.channels.FileChannel.open(p, java.nio.file.StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        journal.close();
        // the clean marker promises that every projection is written: only after the projector drained
        projector.close();
        DurableFiles.write(folder.resolve(StoreLayout.CLEAN), new byte[0], false);
    }

    @Override
    public void abandon() {
        try {
            projector.close();
        } catch (IOException e) {
            LOG.fine("writing files after a failed open: " + e);
        }
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                LOG.fine("closing the journal after a failed open: " + e);
            }
        }
    }
}
