package org.certwatch.store.internal.persist;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;
import org.certwatch.store.internal.pki.KeyVault;

/**
 * The store's part of a migration: the current generation's entries (the journal's records, byte for byte), the CA
 * keys, the certificates' and keys' bytes and the CRLs, read from {@code store/} as {@link FileBackend} lays it out
 * or from the names {@link SharedBackend} uses, and written by each backend's own methods. Keys stay encrypted: the
 * copy never needs the key password, it only checks that the one configured opens the store (every server sharing
 * it needs that one).
 */
public final class StoreCopy implements StateCopy {
    private static final int CHUNK_BYTES = 4 << 20;
    private final EntryCodec codec = new EntryCodec();

    /** What one side holds, by id; {@code records} in journal order. */
    record Image(String generation, List<byte[]> records, Map<Long, byte[]> caKeys, Map<Long, byte[]> certificates,
            Map<Long, byte[]> keys, Map<Long, byte[]> crls) {
    }

    @Override
    public String part() {
        return "store";
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        Image image = read(side);
        return List.of(Tally.of("store entries", image.records()), Tally.of("certificates", image.certificates().values()),
                Tally.of("keys", image.keys().values()), Tally.of("CA keys", image.caKeys().values()),
                Tally.of("CRLs", image.crls().values()));
    }

    @Override
    public String refusal(StateSide from, Map<String, String> env, Path etc) throws Exception {
        KeyPasswordSource password;
        try {
            password = KeyPasswordSource.resolve(env, etc);
        } catch (IOException e) {
            return e.getMessage();
        }
        String refusal = passwordRefusal(from, password.password());
        return refusal == null ? null : refusal + " (the key password came from " + password.origin() + ")";
    }

    /**
     * Why the store may not be copied with the key password {@code password}: it does not open the store's header
     * (the servers on the target would not start). Null when it does, or when there is no store.
     */
    public String passwordRefusal(StateSide side, char[] password) throws Exception {
        Image image = read(side);
        if (image.records().isEmpty()) {
            return null;
        }
        for (EntryCodec.Decoded d : codec.decode(0, image.records().get(0), true)) {
            if (d.entry() instanceof Entry.Header h) {
                KeyVault vault = KeyVault.derive(password, h.salt(), h.iterations(), new SecureRandom(),
                        new BouncyCastleProvider());
                return vault.accepts(h.passwordCheck()) ? null : "the key password does not open the store of "
                        + where(side) + "; every server on the target needs the store's own key password";
            }
        }
        return "the store of " + where(side) + " has no header record";
    }

    private static String where(StateSide side) {
        return side.files() ? side.data().resolve("store").toString() : side.persistence().backend() + " backend";
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        Image image = read(from);
        if (image.records().isEmpty()) {
            return;
        }
        if (to.files()) {
            writeFiles(image, to.data().resolve("store"));
        } else {
            writeShared(image, to.persistence());
        }
    }

    Image read(StateSide side) throws Exception {
        return side.files() ? readFiles(side.data().resolve("store")) : readShared(side.persistence());
    }

    private Image readFiles(Path folder) throws IOException {
        Path current = folder.resolve(StoreLayout.CURRENT);
        Image image = new Image(null, new ArrayList<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        if (!Files.exists(current)) {
            return image;
        }
        StoreLayout layout = new StoreLayout(folder, Files.readString(current, StandardCharsets.UTF_8).strip());
        image = new Image(layout.generation(), image.records(), image.caKeys(), image.certificates(), image.keys(),
                image.crls());
        if (Files.exists(layout.journal())) {
            List<byte[]> records = image.records();
            org.certwatch.store.internal.persist.Journal.readOnly(layout.journal(), (position, payload) -> records.add(payload));
        }
        for (byte[] record : image.records()) {
            bytesOf(record, image);
        }
        Path caKeys = layout.caKey(0).getParent();
        if (Files.isDirectory(caKeys)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(caKeys, "*.key")) {
                for (Path f : files) {
                    image.caKeys().put(id(f, ".key"), FileBackend.pemBody(Files.readAllBytes(f)));
                }
            }
        }
        Path crls = layout.crl(0, false).getParent();
        if (Files.isDirectory(crls)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(crls, "*.crl")) {
                for (Path f : files) {
                    long caId = id(f, ".crl");
                    if (Files.exists(layout.crl(caId, true))) { // as FileBackend.storedCrl: both files or none
                        image.crls().put(caId, Files.readAllBytes(f));
                    }
                }
            }
        }
        return image;
    }

    /** The certificates' and keys' bytes the entries hold (the file store keeps them in its journal). */
    private void bytesOf(byte[] record, Image image) throws IOException {
        for (EntryCodec.Decoded d : codec.decode(0, record, false)) {
            if (d.entry() instanceof Entry.CertAdded c) {
                image.certificates().put(c.id(), c.certificate());
                if (c.encryptedKey().length > 0) {
                    image.keys().put(c.id(), c.encryptedKey());
                }
            } else if (d.entry() instanceof Entry.CertDeleted c) {
                image.certificates().remove(c.certificateId());
                image.keys().remove(c.certificateId());
            }
        }
    }

    private static long id(Path file, String suffix) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.length() - suffix.length()));
    }

    private Image readShared(Persistence persistence) throws Exception {
        Image image = new Image(null, new ArrayList<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
        Optional<Document> current = persistence.documents(SharedBackend.META).get(SharedBackend.CURRENT);
        if (current.isEmpty()) {
            return image;
        }
        String generation = new String(current.get().value(), StandardCharsets.UTF_8);
        image = new Image(generation, image.records(), image.caKeys(), image.certificates(), image.keys(), image.crls());
        List<byte[]> records = image.records();
        persistence.journal(SharedBackend.journalName(generation)).read(0, (position, record) -> records.add(record));
        Image read = image;
        persistence.documents(SharedBackend.blobsName(generation)).scan(d -> {
            int slash = d.key().indexOf('/');
            long id = Long.parseLong(d.key().substring(slash + 1));
            switch (d.key().substring(0, slash)) {
                case "ca-key" -> read.caKeys().put(id, d.value());
                case "cert" -> read.certificates().put(id, d.value());
                case "key" -> read.keys().put(id, d.value());
                default -> throw new IOException("unknown blob " + d.key() + " in " + SharedBackend.blobsName(generation));
            }
        });
        persistence.documents(SharedBackend.CRLS).scan(d -> read.crls().put(Long.parseLong(d.key()), d.value()));
        return image;
    }

    /** The bytes before the entries that name them, as {@link SharedBackend} stores them; the generation named last. */
    private static void writeShared(Image image, Persistence persistence) {
        Documents blobs = persistence.documents(SharedBackend.blobsName(image.generation()));
        Map<String, byte[]> chunk = new HashMap<>();
        int[] size = {0};
        Runnable flush = () -> {
            if (!chunk.isEmpty()) {
                blobs.putAll(chunk);
                chunk.clear();
                size[0] = 0;
            }
        };
        for (var e : image.caKeys().entrySet()) {
            chunk.put("ca-key/" + e.getKey(), e.getValue());
        }
        for (var e : image.certificates().entrySet()) {
            chunk.put("cert/" + e.getKey(), e.getValue());
            size[0] += e.getValue().length;
            if (size[0] > CHUNK_BYTES) {
                flush.run();
            }
        }
        for (var e : image.keys().entrySet()) {
            chunk.put("key/" + e.getKey(), e.getValue());
            size[0] += e.getValue().length;
            if (size[0] > CHUNK_BYTES) {
                flush.run();
            }
        }
        flush.run();
        Journal journal = persistence.journal(SharedBackend.journalName(image.generation()));
        List<byte[]> records = new ArrayList<>();
        int bytes = 0;
        for (byte[] record : image.records()) {
            records.add(record);
            bytes += record.length;
            if (bytes > CHUNK_BYTES) {
                journal.append(records);
                records.clear();
                bytes = 0;
            }
        }
        if (!records.isEmpty()) {
            journal.append(records);
        }
        Map<String, byte[]> crls = new HashMap<>();
        image.crls().forEach((id, der) -> crls.put(Long.toString(id), der));
        if (!crls.isEmpty()) {
            persistence.documents(SharedBackend.CRLS).putAll(crls);
        }
        persistence.documents(SharedBackend.META).put(SharedBackend.CURRENT,
                image.generation().getBytes(StandardCharsets.UTF_8));
    }

    /** Through {@link FileBackend} itself: its journal framing, projections, key files and CRL files. */
    private void writeFiles(Image image, Path folder) throws IOException {
        FileBackend files = new FileBackend(folder, Clock.systemUTC(), new FormatVersion());
        files.open(d -> { });
        boolean done = false;
        try {
            for (byte[] record : image.records()) {
                files.appendPayload(record);
                for (EntryCodec.Decoded d : codec.decode(0, record, false)) {
                    if (d.entry() instanceof Entry.CaAdded ca) {
                        files.writeCaCertificate(ca.id(), ca.certificate());
                    } else if (d.entry() instanceof Entry.CertAdded c) {
                        files.project(c);
                    } else if (d.entry() instanceof Entry.CertDeleted c) {
                        files.unproject(c.certificateId());
                    }
                }
            }
            for (var e : image.caKeys().entrySet()) {
                files.writeCaKey(e.getKey(), e.getValue());
            }
            for (var e : image.crls().entrySet()) {
                files.writeCrl(e.getKey(), e.getValue());
            }
            files.close();
            done = true;
        } finally {
            if (!done) {
                files.abandon();
            }
        }
    }
}
