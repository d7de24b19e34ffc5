package org.certwatch.store.internal.core;

import org.certwatch.commons.files.DurableFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.api.store.SubjectAltName;
import org.certwatch.api.store.TlsIdentity;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.persist.FormatVersion;
import org.certwatch.store.internal.persist.Journal;
import org.certwatch.store.internal.pki.CertificateMaker;
import org.certwatch.store.internal.pki.CrlMaker;
import org.certwatch.store.internal.pki.ImportReader;
import org.certwatch.store.internal.pki.KeyPairs;
import org.certwatch.store.internal.pki.KeyVault;
import org.certwatch.store.internal.pki.Names;
import org.certwatch.store.internal.pki.Pem;
import org.certwatch.store.internal.pki.Pkcs12Writer;
import org.certwatch.store.internal.pki.SubjectAltNames;

/**
 * The certificate store: an in-memory index over the journal, the PKI operations, and the
 * projections (PEM files, CRLs) an admin reads. Plain Java, so tests and the benchmark use it without
 * OSGi; the DS component wraps it.
 *
 * <p>Durability: a change counts once its journal transaction is durable (group commit). Files that
 * the journal can regenerate are written after that, atomically but without fsync; after a crash
 * (no {@code clean} marker) the store checks and rewrites them on open.
 */
public final class PkiStore implements CertificateStore, Closeable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");
    private static final int CHUNK = 64;
    private static final int MAX_DESCRIPTION = 1000;

    private final Path folder;
    private final Clock clock;
    private final AuditLog audit;
    private final StoreEvents events;
    private final Supplier<List<CaDeletionGuard>> guards;
    private final StoreSettings settings;
    private final BouncyCastleProvider provider;
    private final SecureRandom random;
    private final KeyPairs keyPairs;
    private final CertificateMaker maker;
    private final CrlMaker crlMaker;
    private final ImportReader importReader;
    private final Pkcs12Writer pkcs12;
    private final EntryCodec codec = new EntryCodec();
    private final ExecutorService workers;
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private final Object reservations = new Object();
    private final Set<Long> pendingRevocations = new HashSet<>();
    private final Object importLock = new Object();
    /** Imports replayed from version 1 records, which lack their names; filled during replay only. */
    private final List<Long> importsWithoutNames = new ArrayList<>();
    private final Projector projector = new Projector();

    private final ConcurrentHashMap<Long, CaState> cas = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, CertState> certs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> caByFingerprint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> certByFingerprint = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Set<Long>> revokedByCa = new ConcurrentHashMap<>();
    private final AtomicLong nextCaId = new AtomicLong(1);
    private final AtomicLong nextCertId = new AtomicLong(1);
    private volatile long serverCertificateId;

    // replaced only by rekey, under the write lock; volatile for the lock-free queries
    private volatile StoreLayout layout;
    private volatile Journal journal;
    private volatile KeyVault vault;
    private boolean freshlyCreated;
    private boolean closed;

    private PkiStore(Path folder, Clock clock, AuditLog audit, StoreEvents events,
            Supplier<List<CaDeletionGuard>> guards, StoreSettings settings, BouncyCastleProvider provider) {
        this.folder = folder;
        this.clock = clock;
        this.audit = audit;
        this.events = events;
        this.guards = guards;
        this.settings = settings;
        this.provider = provider;
        this.random = new SecureRandom();
        this.keyPairs = new KeyPairs(provider, random);
        this.maker = new CertificateMaker(provider, random);
        this.crlMaker = new CrlMaker(maker);
        this.importReader = new ImportReader(provider);
        this.pkcs12 = new Pkcs12Writer(provider);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "certwatch-store-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens (or creates) the store in {@code folder}. Refuses a folder of a newer format and a wrong
     * key password; upgrades an older format after keeping a copy.
     */
    public static PkiStore open(Path folder, char[] password, Clock clock, AuditLog audit, StoreEvents events,
            Supplier<List<CaDeletionGuard>> guards, StoreSettings settings, BouncyCastleProvider provider)
            throws IOException {
        return open(folder, password, clock, audit, events, guards, settings, provider, new FormatVersion());
    }

    static PkiStore open(Path folder, char[] password, Clock clock, AuditLog audit, StoreEvents events,
            Supplier<List<CaDeletionGuard>> guards, StoreSettings settings, BouncyCastleProvider provider,
            FormatVersion format) throws IOException {
        if (settings.keyIterations() < KeyVault.MIN_ITERATIONS) {
            throw new IllegalArgumentException("key derivation needs at least " + KeyVault.MIN_ITERATIONS
                    + " PBKDF2 iterations");
        }
        PkiStore store = new PkiStore(folder, clock, audit, events, guards, settings, provider);
        try {
            store.load(password, format);
            return store;
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        }
    }

    // ---------------------------------------------------------------- opening

    private void load(char[] password, FormatVersion format) throws IOException {
        long started = System.nanoTime();
        freshlyCreated = format.prepare(folder, clock);
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
        // the key derivation (PBKDF2, ~0.5 s) runs on a worker while the journal replays
        List<CompletableFuture<KeyVault>> derived = new ArrayList<>(1);
        journal = Journal.open(layout.journal(), (position, payload) -> {
            for (EntryCodec.Decoded d : codec.decode(position, payload, true)) {
                if (d.entry() instanceof Entry.Header h) {
                    header[0] = h;
                    derived.add(CompletableFuture.supplyAsync(() -> KeyVault.derive(password, h.salt(),
                            h.iterations(), random, provider), workers));
                } else {
                    apply(d);
                }
            }
        });
        recoverImportedNames();
        if (header[0] == null) {
            if (!cas.isEmpty() || !certs.isEmpty()) {
                throw new IOException("journal " + layout.journal() + " has no header record");
            }
            KeyVault fresh = KeyVault.derive(password, KeyVault.newSalt(random), settings.keyIterations(), random,
                    provider);
            commit(List.of(new Entry.Header(fresh.salt(), fresh.iterations(), fresh.passwordCheck())));
            vault = fresh;
        } else {
            vault = derived.get(0).join();
            if (!vault.accepts(header[0].passwordCheck())) {
                throw new CertificateStoreException("the key password does not open the store in " + folder
                        + " (it is the one set when the store was created or last rekeyed; check "
                        + "CERTWATCH_KEY_PASSWORD / CERTWATCH_KEY_PASSWORD_FILE)");
            }
        }
        removeKeysOfDeletedCas();
        if (!wasClean && !freshlyCreated) {
            repairProjections();
        }
        checkCrls();
        LOG.info("store " + folder + " open: " + cas.size() + " CAs, " + certs.size() + " certificates in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"
                + (wasClean || freshlyCreated ? "" : " (after an unclean stop; projections checked)"));
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

    private void apply(EntryCodec.Decoded decoded) throws IOException {
        Entry entry = decoded.entry();
        if (entry instanceof Entry.CaAdded c) {
            applyCa(c);
        } else if (entry instanceof Entry.CertAdded c) {
            applyCertificate(c, decoded);
        } else if (entry instanceof Entry.Revoked r) {
            applyRevocation(r);
        } else if (entry instanceof Entry.CaDeleted d) {
            CaState ca = cas.get(d.caId());
            if (ca != null) {
                CaInfo i = ca.info;
                ca.info = new CaInfo(i.id(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(),
                        i.keyAlgorithm(), i.keySize(), CaStatus.DELETED, false, i.imported(), i.homeGroup(),
                        i.description(), i.createdAt(), d.at(), d.reason());
                ca.key = null;
            }
        } else if (entry instanceof Entry.CrlIssued c) {
            CaState ca = cas.get(c.caId());
            if (ca != null) {
                ca.crlNumber = Math.max(ca.crlNumber, c.number());
                ca.crlNextUpdate = c.nextUpdate();
            }
        } else if (entry instanceof Entry.ServerCertificate s) {
            serverCertificateId = s.certificateId();
        }
    }

    private void applyCa(Entry.CaAdded c) throws IOException {
        X509CertificateHolder certificate = new X509CertificateHolder(c.certificate());
        PublicKey key = maker.publicKeyOf(certificate);
        String fingerprint = Pem.sha256(c.certificate());
        CaInfo info = new CaInfo(c.id(), certificate.getSubject().toString(), certificate.getSerialNumber(),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), fingerprint,
                KeyPairs.algorithmName(key), KeyPairs.keySize(key), CaStatus.ACTIVE, true, c.imported(), c.group(),
                c.description(), c.createdAt(), null, null);
        cas.put(c.id(), new CaState(info, certificate));
        caByFingerprint.put(fingerprint, c.id());
        nextCaId.accumulateAndGet(c.id() + 1, Math::max);
    }

    private CertificateInfo applyCertificate(Entry.CertAdded c, EntryCodec.Decoded where) {
        CaState ca = cas.get(c.caId());
        List<SubjectAltName> sans = c.subjectAltNames();
        if (sans == null) {
            // a version 1 record: an issued certificate's names follow from its request; an import's (which
            // that version stored without them) are read from the certificate once the journal is open
            sans = SubjectAltNames.ofRequest(c.host(), c.alternativeNames());
            if (c.role() == Role.MONITORED) {
                importsWithoutNames.add(c.id());
            }
        }
        CertificateInfo info = new CertificateInfo(c.id(), c.role(), c.host(), c.alternativeNames(), sans, c.caId(),
                c.issuer(), c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(),
                c.keySize(), where.keyLength() > 0, c.group(), c.description(), c.createdAt(), null, null,
                c.predecessorId(), 0);
        certs.put(c.id(), new CertState(info, where.certificatePosition(), where.certificateLength(),
                where.keyPosition(), where.keyLength()));
        certByFingerprint.put(c.fingerprint(), c.id());
        nextCertId.accumulateAndGet(c.id() + 1, Math::max);
        if (c.predecessorId() != 0) {
            certs.computeIfPresent(c.predecessorId(), (id, p) -> p.with(withSuccessor(p.info(), c.id())));
        }
        if (ca == null && c.caId() != 0) {
            LOG.warning("certificate " + c.id() + " names unknown CA " + c.caId());
        }
        return info;
    }

    /**
     * Format 1 stored imported certificates without their subjectAltNames (and with no alternativeNames):
     * read them from the certificates, once per open, until a rekey writes the records anew.
     */
    private void recoverImportedNames() throws IOException {
        for (long id : importsWithoutNames) {
            CertState s = certs.get(id);
            if (s == null) {
                continue;
            }
            CertificateInfo i = s.info();
            List<SubjectAltName> sans;
            try {
                sans = SubjectAltNames.of(new X509CertificateHolder(journal.read(s.certificatePosition(),
                        s.certificateLength())));
            } catch (IOException | RuntimeException e) {
                LOG.warning("certificate " + id + ": cannot read its subjectAltNames (" + e.getMessage()
                        + "); it is listed without them");
                continue;
            }
            certs.put(id, s.with(new CertificateInfo(i.id(), i.role(), i.host(),
                    SubjectAltNames.alternativeNames(i.host(), sans), sans, i.caId(), i.issuer(), i.subject(),
                    i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(), i.keySize(), i.hasKey(),
                    i.homeGroup(), i.description(), i.createdAt(), i.revokedAt(), i.revocationReason(),
                    i.predecessorId(), i.successorId())));
        }
        importsWithoutNames.clear();
    }

    private static CertificateInfo withSuccessor(CertificateInfo i, long successor) {
        return new CertificateInfo(i.id(), i.role(), i.host(), i.alternativeNames(), i.subjectAltNames(), i.caId(),
                i.issuer(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(), i.keySize(),
                i.hasKey(), i.homeGroup(), i.description(), i.createdAt(), i.revokedAt(), i.revocationReason(),
                i.predecessorId(), successor);
    }

    private void applyRevocation(Entry.Revoked r) {
        CertState updated = certs.computeIfPresent(r.certificateId(), (id, s) -> {
            CertificateInfo i = s.info();
            return s.with(new CertificateInfo(i.id(), i.role(), i.host(), i.alternativeNames(), i.subjectAltNames(),
                    i.caId(),
                    i.issuer(), i.subject(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(),
                    i.keyAlgorithm(), i.keySize(), i.hasKey(), i.homeGroup(), i.description(), i.createdAt(), r.at(),
                    RevocationReason.ofCode(r.reasonCode()), i.predecessorId(), i.successorId()));
        });
        if (updated != null && updated.info().caId() != 0) {
            revokedByCa.computeIfAbsent(updated.info().caId(), k -> ConcurrentHashMap.newKeySet())
                    .add(r.certificateId());
        }
    }

    private void removeKeysOfDeletedCas() throws IOException {
        for (CaState ca : cas.values()) {
            if (ca.info.status() == CaStatus.DELETED && Files.deleteIfExists(layout.caKey(ca.info.id()))) {
                DurableFiles.fsyncDirectory(layout.caKey(ca.info.id()).getParent());
            }
        }
    }

    /** After an unclean stop: every projection must exist with the size its journal bytes give. */
    private void repairProjections() throws IOException {
        int repaired = 0;
        for (CaState ca : cas.values()) {
            byte[] pem = Pem.encode("CERTIFICATE", ca.certificate.getEncoded());
            Path file = layout.caCertificate(ca.info.id());
            if (!Files.exists(file) || Files.size(file) != pem.length) {
                writeProjection(file, pem, false);
                repaired++;
            }
        }
        for (CertState s : certs.values()) {
            long id = s.info().id();
            Path file = layout.certificate(id);
            if (!Files.exists(file) || Files.size(file) != Pem.encodedSize("CERTIFICATE", s.certificateLength())) {
                writeProjection(file, Pem.encode("CERTIFICATE", journal.read(s.certificatePosition(),
                        s.certificateLength())), false);
                repaired++;
            }
            if (s.keyLength() > 0) {
                Path key = layout.key(id);
                if (!Files.exists(key) || Files.size(key) != Pem.encodedSize("ENCRYPTED PRIVATE KEY", s.keyLength())) {
                    writeProjection(key, Pem.encode("ENCRYPTED PRIVATE KEY", journal.read(s.keyPosition(),
                            s.keyLength())), true);
                    repaired++;
                }
            }
        }
        removeTemporaryFiles();
        if (repaired > 0) {
            LOG.info("store " + folder + ": rewrote " + repaired + " certificate/key files from the journal");
        }
    }

    private void removeTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path p : files.filter(f -> f.getFileName().toString().endsWith(DurableFiles.TEMP_SUFFIX)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Every CA that can sign gets a CRL that matches the journal; a missing or stale one is re-issued. */
    private void checkCrls() throws IOException {
        for (CaState ca : cas.values()) {
            if (ca.info.status() != CaStatus.ACTIVE) {
                continue;
            }
            Path file = layout.crl(ca.info.id(), false);
            boolean current = false;
            if (Files.exists(file) && Files.exists(layout.crl(ca.info.id(), true))) {
                try {
                    X509CRLHolder crl = new X509CRLHolder(Files.readAllBytes(file));
                    long number = crlNumber(crl);
                    Set<BigInteger> listed = new HashSet<>();
                    crl.getRevokedCertificates().forEach(e -> listed.add(((org.bouncycastle.cert.X509CRLEntryHolder) e)
                            .getSerialNumber()));
                    current = listed.equals(revokedSerials(ca.info.id())) && number >= ca.crlNumber
                            && crl.getNextUpdate() != null;
                    ca.crlNumber = Math.max(ca.crlNumber, number);
                    if (current) {
                        ca.crlNextUpdate = crl.getNextUpdate().toInstant();
                    }
                } catch (IOException | RuntimeException e) {
                    LOG.warning("CRL " + file + " is unreadable (" + e.getMessage() + "); issuing a new one");
                }
            }
            if (!current) {
                reissueCrl(ca);
            }
        }
    }

    private static long crlNumber(X509CRLHolder crl) {
        org.bouncycastle.asn1.x509.Extension e = crl.getExtension(Extension.cRLNumber);
        return e == null ? 0 : org.bouncycastle.asn1.x509.CRLNumber.getInstance(e.getParsedValue()).getCRLNumber()
                .longValueExact();
    }

    private Set<BigInteger> revokedSerials(long caId) {
        Set<BigInteger> serials = new HashSet<>();
        for (long id : revokedByCa.getOrDefault(caId, Set.of())) {
            CertState s = certs.get(id);
            if (s != null) {
                serials.add(s.info().serial());
            }
        }
        return serials;
    }

    /** True when the store folder was created by this open (first start). */
    public boolean freshlyCreated() {
        return freshlyCreated;
    }

    public Path folder() {
        return folder;
    }

    // ---------------------------------------------------------------- queries

    @Override
    public List<CaInfo> cas() {
        return cas.values().stream().map(c -> c.info).sorted(Comparator.comparingLong(CaInfo::id)).toList();
    }

    @Override
    public Optional<CaInfo> ca(long id) {
        return Optional.ofNullable(cas.get(id)).map(c -> c.info);
    }

    @Override
    public Optional<CaInfo> caByFingerprint(String sha256Hex) {
        return Optional.ofNullable(caByFingerprint.get(Pem.normalizeFingerprint(sha256Hex))).flatMap(this::ca);
    }

    @Override
    public Optional<CertificateInfo> certificate(long id) {
        return Optional.ofNullable(certs.get(id)).map(CertState::info);
    }

    @Override
    public Optional<CertificateInfo> certificateByFingerprint(String sha256Hex) {
        return Optional.ofNullable(certByFingerprint.get(Pem.normalizeFingerprint(sha256Hex)))
                .flatMap(this::certificate);
    }

    @Override
    public List<CertificateInfo> certificates(CertificateQuery query) {
        return certs.values().stream().map(CertState::info).filter(query::matches)
                .sorted(Comparator.comparingLong(CertificateInfo::id)).toList();
    }

    @Override
    public Optional<CertificateInfo> serverCertificate() {
        return certificate(serverCertificateId);
    }

    public int size() {
        return certs.size();
    }

    // ---------------------------------------------------------------- CAs

    @Override
    public CaInfo createCa(CaRequest request, String actor) {
        return audited(actor, "ca.create", () -> "ca:" + nextCaId.get(), () -> {
            X500Name subject = Names.subject(request.subject());
            KeyType type = request.keyType() == null ? KeyType.EC_P256 : request.keyType();
            Duration validity = request.validity() == null ? settings.caValidity() : request.validity();
            if (validity.isNegative() || validity.isZero()) {
                throw new CertificateStoreException("the CA validity must be positive, not " + validity);
            }
            String group = group(request.homeGroup());
            String description = description(request.description());
            Instant now = now();
            KeyPair keys = keyPairs.generate(type);
            X509CertificateHolder certificate = maker.selfSignedCa(subject, keys, now.minus(settings.clockSkew()),
                    now.plus(validity));
            return addCa(certificate, keys.getPrivate(), false, group, description, now);
        }, c -> "ca:" + c.id());
    }

    @Override
    public CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup,
            String actor) {
        return audited(actor, "ca.import", () -> "ca", () -> {
            ImportReader.Material material = importReader.read(certificate, password, "the CA certificate");
            List<PrivateKey> keys = new ArrayList<>(material.keys());
            if (key != null && key.length > 0) {
                keys.addAll(importReader.read(key, password, "the CA key").keys());
            }
            if (material.certificates().isEmpty()) {
                throw new CertificateStoreException("the CA import holds no certificate");
            }
            if (keys.isEmpty()) {
                throw new CertificateStoreException("the CA import holds no private key; a CA needs its key to sign");
            }
            X509CertificateHolder chosen = null;
            PrivateKey chosenKey = null;
            for (X509CertificateHolder c : material.certificates()) {
                for (PrivateKey k : keys) {
                    if (maker.keyMatches(k, c)) {
                        chosen = c;
                        chosenKey = k;
                    }
                }
            }
            if (chosen == null) {
                throw new CertificateStoreException("the private key does not belong to the CA certificate");
            }
            BasicConstraints constraints = BasicConstraints.fromExtensions(chosen.getExtensions());
            if (constraints == null || !constraints.isCA()) {
                throw new CertificateStoreException("'" + chosen.getSubject()
                        + "' is not a CA certificate (basicConstraints CA is not set)");
            }
            requireIntact(chosen, material.certificates());
            String fingerprint = Pem.sha256(chosen.getEncoded());
            Long existing = caByFingerprint.get(fingerprint);
            if (existing != null) {
                throw new CertificateStoreException("this CA is already in the store as CA " + existing
                        + " (fingerprint " + fingerprint + ")");
            }
            return addCa(chosen, chosenKey, true, group(homeGroup), description(description), now());
        }, c -> "ca:" + c.id());
    }

    private CaInfo addCa(X509CertificateHolder certificate, PrivateKey key, boolean imported, String group,
            String description, Instant now) throws IOException {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            long id = nextCaId.getAndIncrement();
            // the key first, durably: a CA record must never exist without its key
            DurableFiles.createDirectories(layout.caKey(id).getParent());
            DurableFiles.write(layout.caKey(id), Pem.encode("ENCRYPTED PRIVATE KEY", vault.encrypt(key)), true);
            Entry.CaAdded entry = new Entry.CaAdded(id, imported, group, description, now, certificate.getEncoded());
            commit(List.of(entry));
            applyCa(entry);
            CaState state = cas.get(id);
            state.key = key;
            writeProjection(layout.caCertificate(id), Pem.encode("CERTIFICATE", certificate.getEncoded()), false);
            reissueCrl(state);
            events.post(Topics.CA_CREATED, Map.of("ca.id", id, "subject", state.info.subject(), "imported", imported,
                    "fingerprint", state.info.fingerprint()));
            return state.info;
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    @Override
    public List<String> caDeletionBlockers(long caId) {
        CaState ca = requireCa(caId);
        Instant now = now();
        List<Long> live = certs.values().stream().map(CertState::info)
                .filter(c -> c.caId() == caId && !c.revoked() && c.notAfter().isAfter(now))
                .map(CertificateInfo::id).sorted().toList();
        List<String> reasons = new ArrayList<>();
        if (!live.isEmpty()) {
            reasons.add(live.size() + " certificate(s) it issued are unexpired and unrevoked (ids "
                    + live.subList(0, Math.min(10, live.size())) + (live.size() > 10 ? ", ..." : "") + ")");
        }
        for (CaDeletionGuard guard : guards.get()) {
            try {
                reasons.addAll(guard.blockingReasons(ca.info));
            } catch (RuntimeException e) {
                reasons.add("a deletion check failed (" + guard.getClass().getName() + ": " + e.getMessage() + ")");
            }
        }
        return reasons;
    }

    @Override
    public CaInfo deleteCa(long caId, String forceReason, String actor) {
        return audited(actor, forceReason == null || forceReason.isBlank() ? "ca.delete" : "ca.delete-forced",
                () -> "ca:" + caId, () -> {
                    lifecycle.writeLock().lock();
                    try {
                        ensureOpen();
                        CaState ca = requireCa(caId);
                        if (ca.info.status() == CaStatus.DELETED) {
                            throw new CertificateStoreException("CA " + caId + " is already deleted");
                        }
                        List<String> blockers = caDeletionBlockers(caId);
                        boolean forced = forceReason != null && !forceReason.isBlank();
                        if (!blockers.isEmpty() && !forced) {
                            throw new CertificateStoreException("CA " + caId + " cannot be deleted: "
                                    + String.join("; ", blockers) + ". Force it with a reason to delete anyway");
                        }
                        String reason = forced ? forceReason.strip()
                                + (blockers.isEmpty() ? "" : " (overriding: " + String.join("; ", blockers) + ")") : "";
                        Entry.CaDeleted entry = new Entry.CaDeleted(caId, now(), reason);
                        commit(List.of(entry));
                        apply(new EntryCodec.Decoded(entry));
                        if (Files.deleteIfExists(layout.caKey(caId))) {
                            DurableFiles.fsyncDirectory(layout.caKey(caId).getParent());
                        }
                        events.post(Topics.CA_DELETED, Map.of("ca.id", caId, "subject", ca.info.subject(),
                                "forced", forced, "reason", reason));
                        return ca.info;
                    } finally {
                        lifecycle.writeLock().unlock();
                    }
                }, c -> "ok" + (c.deleteReason().isEmpty() ? "" : " (forced: " + c.deleteReason() + ")"));
    }

    private CaState requireCa(long caId) {
        CaState ca = cas.get(caId);
        if (ca == null) {
            throw new CertificateStoreException("there is no CA with id " + caId);
        }
        return ca;
    }

    private PrivateKey caKey(CaState ca) {
        PrivateKey key = ca.key;
        if (key != null) {
            return key;
        }
        if (ca.info.status() != CaStatus.ACTIVE) {
            throw new CertificateStoreException("CA " + ca.info.id() + " is deleted and has no key any more");
        }
        synchronized (ca) {
            if (ca.key == null) {
                try {
                    ca.key = vault.decrypt(pemBody(Files.readAllBytes(layout.caKey(ca.info.id()))));
                } catch (IOException | GeneralSecurityException e) {
                    throw new CertificateStoreException("cannot read the key of CA " + ca.info.id() + " from "
                            + layout.caKey(ca.info.id()) + ": " + e.getMessage(), e);
                }
            }
            return ca.key;
        }
    }

    private static byte[] pemBody(byte[] pem) {
        String text = new String(pem, StandardCharsets.US_ASCII);
        String body = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return java.util.Base64.getDecoder().decode(body);
    }

    // ---------------------------------------------------------------- issuing

    /** Everything an issuance needs, checked before any key is generated. */
    private record Plan(CaState ca, Role role, List<String> names, X500Name subject, String group,
            String description, KeyType keyType, Instant notBefore, Instant notAfter, long predecessorId,
            PrivateKey reuseKey) {
    }

    private Plan plan(IssueRequest r) {
        if (r.role() == null || r.role() == Role.MONITORED) {
            throw new CertificateStoreException("role must be SERVER, AGENT, PROXY or MDM, not " + r.role());
        }
        CaState ca = requireCa(r.caId());
        List<String> names = new ArrayList<>();
        names.add(r.host() == null ? "" : r.host().strip());
        names.addAll(r.alternativeNames().stream().map(String::strip).toList());
        names.forEach(Names::generalName);
        X500Name subject = r.subject() == null || r.subject().isBlank()
                ? Names.subject("CN=" + escapeRdn(names.get(0)) + ",OU=" + r.role().name())
                : Names.subject(r.subject());
        return plan(ca, r.role(), names, subject, group(r.homeGroup()), description(r.description()),
                r.keyType() == null ? KeyType.EC_P256 : r.keyType(), r.notAfter(), 0, null);
    }

    private static String escapeRdn(String value) {
        return value.replaceAll("([,+=\"\\\\<>;#])", "\\\\$1");
    }

    private Plan plan(CaState ca, Role role, List<String> names, X500Name subject, String group, String description,
            KeyType keyType, Instant requestedNotAfter, long predecessorId, PrivateKey reuseKey) {
        CaInfo info = ca.info;
        if (info.status() != CaStatus.ACTIVE) {
            throw new CertificateStoreException("CA " + info.id() + " is deleted and cannot issue certificates");
        }
        Instant now = now();
        if (!now.isBefore(info.notAfter())) {
            throw new CertificateStoreException("CA " + info.id() + " expired on " + info.notAfter()
                    + " and cannot issue certificates");
        }
        Instant notAfter;
        if (requestedNotAfter == null) {
            Instant wanted = now.plus(settings.certificateValidity());
            notAfter = wanted.isAfter(info.notAfter()) ? info.notAfter() : wanted;
        } else {
            notAfter = requestedNotAfter;
            if (!notAfter.isAfter(now)) {
                throw new CertificateStoreException("the validity must end in the future, not at " + notAfter);
            }
            if (notAfter.isAfter(info.notAfter())) {
                throw new CertificateStoreException("the validity (ending " + notAfter
                        + ") must end inside the validity of CA " + info.id() + " '" + info.subject()
                        + "', which ends " + info.notAfter());
            }
        }
        Instant notBefore = now.minus(settings.clockSkew());
        if (notBefore.isBefore(info.notBefore())) {
            notBefore = info.notBefore();
        }
        return new Plan(ca, role, List.copyOf(names), subject, group, description, keyType, notBefore, notAfter,
                predecessorId, reuseKey);
    }

    /** CPU work: key, signature, encryption. Thread-safe; runs on the worker pool for bulk issuance. */
    private Entry.CertAdded prepare(Plan p, long id) {
        PrivateKey privateKey;
        PublicKey publicKey;
        if (p.reuseKey() != null) {
            privateKey = p.reuseKey();
            publicKey = null;
        } else {
            KeyPair keys = keyPairs.generate(p.keyType());
            privateKey = keys.getPrivate();
            publicKey = keys.getPublic();
        }
        if (publicKey == null) {
            publicKey = publicKeyOfPredecessor(p.predecessorId());
        }
        String crlUrl = settings.crlBaseUrl() == null || settings.crlBaseUrl().isBlank() ? null
                : settings.crlBaseUrl().replaceAll("/+$", "") + "/" + p.ca().info.id() + ".crl";
        X509CertificateHolder certificate = maker.peer(p.ca().certificate, caKey(p.ca()), p.subject(), publicKey,
                p.role(), p.names(), p.notBefore(), p.notAfter(), crlUrl);
        byte[] der = encoded(certificate);
        return new Entry.CertAdded(id, p.role(), p.names().get(0), p.names().subList(1, p.names().size()),
                SubjectAltNames.of(certificate), p.ca().info.id(), p.group(), p.description(), now(), p.predecessorId(),
                certificate.getSubject().toString(), certificate.getIssuer().toString(), certificate.getSerialNumber(),
                certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), Pem.sha256(der),
                KeyPairs.algorithmName(publicKey), KeyPairs.keySize(publicKey), der, vault.encrypt(privateKey));
    }

    private PublicKey publicKeyOfPredecessor(long id) {
        try {
            CertState s = certs.get(id);
            return maker.publicKeyOf(new X509CertificateHolder(journal.read(s.certificatePosition(),
                    s.certificateLength())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] encoded(X509CertificateHolder c) {
        try {
            return c.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CertificateInfo issue(IssueRequest request, String actor) {
        return issueAll(List.of(request), actor).get(0);
    }

    /**
     * Validation is all-or-none (nothing is issued if any request is refused). The certificates are
     * then prepared in parallel and committed in chunks; when the call returns all are durable.
     */
    @Override
    public List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor) {
        if (requests.isEmpty()) {
            return List.of();
        }
        List<Plan> plans;
        try {
            plans = requests.stream().map(this::plan).toList();
        } catch (CertificateStoreException e) {
            record(actor, "certificate.issue", "ca:" + requests.get(0).caId(), "refused: " + e.getMessage());
            throw e;
        }
        List<CertificateInfo> issued = commitPlans(plans);
        List<AuditEntry> entries = new ArrayList<>(issued.size());
        Instant now = now();
        for (CertificateInfo c : issued) {
            entries.add(new AuditEntry(now, actor, "certificate.issue", "certificate:" + c.id(), "ok", ""));
        }
        try {
            audit.appendAll(entries);
        } catch (RuntimeException e) {
            // the certificates are durable already; failing the call now would misreport them as not issued
            LOG.log(Level.SEVERE, "cannot append " + entries.size() + " issuance(s) to the audit log", e);
        }
        for (CertificateInfo c : issued) {
            events.post(Topics.CERTIFICATE_ISSUED, eventProperties(c));
        }
        return issued;
    }

    private List<CertificateInfo> commitPlans(List<Plan> plans) {
        lifecycle.readLock().lock();
        try {
            ensureOpen();
            long[] ids = new long[plans.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = nextCertId.getAndIncrement();
            }
            if (plans.size() == 1) {
                Entry.CertAdded entry = prepare(plans.get(0), ids[0]);
                return commitCertificates(List.of(entry)).join();
            }
            int chunks = (plans.size() + CHUNK - 1) / CHUNK;
            AtomicInteger nextChunk = new AtomicInteger();
            List<CompletableFuture<List<CertificateInfo>>> results = new ArrayList<>(chunks);
            for (int i = 0; i < chunks; i++) {
                results.add(new CompletableFuture<>());
            }
            int threads = Math.min(chunks, Math.max(2, Runtime.getRuntime().availableProcessors()));
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                running.add(workers.submit(() -> {
                    int c;
                    while ((c = nextChunk.getAndIncrement()) < chunks) {
                        CompletableFuture<List<CertificateInfo>> result = results.get(c);
                        try {
                            List<Entry.CertAdded> entries = new ArrayList<>(CHUNK);
                            for (int i = c * CHUNK; i < Math.min(plans.size(), (c + 1) * CHUNK); i++) {
                                entries.add(prepare(plans.get(i), ids[i]));
                            }
                            commitCertificates(entries).whenComplete((r, e) -> {
                                if (e != null) {
                                    result.completeExceptionally(e);
                                } else {
                                    result.complete(r);
                                }
                            });
                        } catch (RuntimeException e) {
                            result.completeExceptionally(e);
                        }
                    }
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
            List<CertificateInfo> all = new ArrayList<>(plans.size());
            for (CompletableFuture<List<CertificateInfo>> r : results) {
                all.addAll(r.join());
            }
            return all;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CertificateStoreException("interrupted while issuing certificates", e);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof CertificateStoreException s) {
                throw s;
            }
            throw new CertificateStoreException("issuing failed: " + cause.getMessage(), cause);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * Journals the entries as one transaction; once durable, indexes them and writes their files. The
     * files are written on a worker so the journal's writer thread only ever writes the journal.
     */
    private CompletableFuture<List<CertificateInfo>> commitCertificates(List<Entry.CertAdded> entries) {
        byte[] payload = codec.encode(entries);
        return journal.append(payload).thenApplyAsync(position -> {
            List<CertificateInfo> result = new ArrayList<>(entries.size());
            try {
                List<EntryCodec.Decoded> decoded = codec.decode(position, payload);
                for (EntryCodec.Decoded d : decoded) {
                    Entry.CertAdded c = (Entry.CertAdded) d.entry();
                    result.add(applyCertificate(c, d));
                    projector.write(layout.certificate(c.id()), Pem.encode("CERTIFICATE", c.certificate()), false);
                    if (c.encryptedKey().length > 0) {
                        projector.write(layout.key(c.id()), Pem.encode("ENCRYPTED PRIVATE KEY", c.encryptedKey()),
                                true);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return result;
        }, workers);
    }

    private void writeProjection(Path file, byte[] content, boolean secret) throws IOException {
        projector.writeNow(file, content, secret);
    }

    /** Waits until the PEM files of every committed certificate are on disk (tests, benchmark). */
    public void awaitFiles() throws IOException {
        projector.drain();
    }

    private void commit(List<? extends Entry> entries) throws IOException {
        try {
            journal.append(codec.encode(entries)).join();
        } catch (CompletionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause()); // it names the journal file
        }
    }

    private static Map<String, Object> eventProperties(CertificateInfo c) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("certificate.id", c.id());
        p.put("ca.id", c.caId());
        p.put("role", c.role().name());
        p.put("host", c.host());
        p.put("subject", c.subject());
        p.put("fingerprint", c.fingerprint());
        p.put("notAfter", c.notAfter().toString());
        p.put("group", c.homeGroup());
        return p;
    }

    /** First start: the initial CA and the server's certificate (host * plus this machine's names). */
    public CertificateInfo ensureInitialCertificates(String hostName, String actor) {
        if (serverCertificateId != 0) {
            return serverCertificate().orElseThrow();
        }
        CaInfo ca = cas().stream().filter(c -> c.status() == CaStatus.ACTIVE && c.hasKey()).findFirst()
                .orElseGet(() -> createCa(new CaRequest("CN=certwatch CA,O=certwatch", null, null,
                        "created at first start", null), actor));
        List<String> names = new ArrayList<>();
        if (hostName != null && !hostName.isBlank() && !hostName.equals("localhost")) {
            try {
                Names.generalName(hostName);
                names.add(hostName);
            } catch (CertificateStoreException e) {
                LOG.warning("host name '" + hostName + "' is not a DNS name; the server certificate omits it");
            }
        }
        names.addAll(List.of("localhost", "127.0.0.1", "::1"));
        CertificateInfo server = issue(new IssueRequest(ca.id(), Role.SERVER, Names.ANY_HOST, names,
                "CN=certwatch server,OU=SERVER", "created at first start", null, null, null), actor);
        lifecycle.readLock().lock();
        try {
            commit(List.of(new Entry.ServerCertificate(server.id())));
            serverCertificateId = server.id();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lifecycle.readLock().unlock();
        }
        return server;
    }

    @Override
    public CertificateInfo setServerCertificate(long certificateId, String actor) {
        return audited(actor, "server.certificate", () -> "certificate:" + certificateId, () -> {
            CertificateInfo c = requireCertificate(certificateId);
            Instant now = now();
            if (c.role() != Role.SERVER) {
                throw new CertificateStoreException("certificate " + certificateId + " has role " + c.role()
                        + ", not SERVER");
            }
            if (!c.hasKey()) {
                throw new CertificateStoreException("the store holds no key for certificate " + certificateId);
            }
            if (c.revoked()) {
                throw new CertificateStoreException("certificate " + certificateId + " is revoked");
            }
            if (now.isBefore(c.notBefore()) || !now.isBefore(c.notAfter())) {
                throw new CertificateStoreException("certificate " + certificateId + " is not valid now (valid "
                        + c.notBefore() + " to " + c.notAfter() + ")");
            }
            lifecycle.readLock().lock();
            try {
                commit(List.of(new Entry.ServerCertificate(certificateId)));
                serverCertificateId = certificateId;
            } finally {
                lifecycle.readLock().unlock();
            }
            events.post(Topics.SERVER_CERTIFICATE_CHANGED, eventProperties(c));
            return c;
        }, c -> "ok");
    }

    @Override
    public Optional<TlsIdentity> tlsIdentity(long certificateId) {
        CertState s = certs.get(certificateId);
        if (s == null || s.keyLength() == 0) {
            return Optional.empty();
        }
        try {
            java.security.cert.CertificateFactory factory = java.security.cert.CertificateFactory.getInstance("X.509");
            List<java.security.cert.X509Certificate> chain = new ArrayList<>();
            chain.add((java.security.cert.X509Certificate) factory.generateCertificate(
                    new java.io.ByteArrayInputStream(certificateBytes(certificateId))));
            CaState ca = cas.get(s.info().caId());
            if (ca != null) {
                chain.add((java.security.cert.X509Certificate) factory.generateCertificate(
                        new java.io.ByteArrayInputStream(encoded(ca.certificate))));
            }
            return Optional.of(new TlsIdentity(certificateId, privateKey(certificateId), chain));
        } catch (java.security.cert.CertificateException e) {
            throw new CertificateStoreException("cannot read certificate " + certificateId + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- import of monitored certificates

    @Override
    public ImportResult importCertificates(byte[] data, char[] password, ImportOptions options, String actor) {
        ImportOptions o = options == null ? ImportOptions.defaults() : options;
        return audited(actor, "certificate.import", () -> o.caId() == null ? "certificates" : "ca:" + o.caId(), () -> {
            ImportReader.Material material = importReader.read(data, password, "the import");
            if (material.certificates().isEmpty()) {
                throw new CertificateStoreException("the import holds no certificate (only keys)");
            }
            CaState named = o.caId() == null ? null : requireCa(o.caId());
            String group = group(o.homeGroup());
            String description = description(o.description());
            lifecycle.readLock().lock();
            try {
                ensureOpen();
                // one import at a time: what is "already there" cannot change between the check and the commit,
                // and ids are taken only for what is then stored
                synchronized (importLock) {
                    List<X509CertificateHolder> fresh = new ArrayList<>();
                    List<ImportResult.AlreadyPresent> present = new ArrayList<>();
                    Set<String> seen = new HashSet<>();
                    for (X509CertificateHolder c : material.certificates()) {
                        String fingerprint = Pem.sha256(encoded(c));
                        if (!seen.add(fingerprint)) {
                            continue; // the same certificate twice in one file (a chain repeated): once is enough
                        }
                        Long knownCertificate = certByFingerprint.get(fingerprint);
                        Long knownCa = caByFingerprint.get(fingerprint);
                        if (knownCertificate != null || knownCa != null) {
                            present.add(new ImportResult.AlreadyPresent(c.getSubject().toString(), fingerprint,
                                    knownCertificate == null ? 0 : knownCertificate, knownCa == null ? 0 : knownCa));
                        } else {
                            fresh.add(c);
                        }
                    }
                    List<Entry.CertAdded> entries = new ArrayList<>();
                    for (X509CertificateHolder c : fresh) {
                        entries.add(monitored(c, named, group, description));
                    }
                    List<Entry.CertAdded> numbered = new ArrayList<>(entries.size());
                    for (Entry.CertAdded e : entries) {
                        numbered.add(withId(e, nextCertId.getAndIncrement()));
                    }
                    List<CertificateInfo> imported = numbered.isEmpty() ? List.of()
                            : commitCertificates(numbered).join();
                    for (CertificateInfo c : imported) {
                        events.post(Topics.CERTIFICATE_IMPORTED, eventProperties(c));
                    }
                    return new ImportResult(imported, present);
                }
            } finally {
                lifecycle.readLock().unlock();
            }
        }, r -> "ok: certificates " + r.imported().stream().map(c -> Long.toString(c.id())).toList()
                + (r.alreadyPresent().isEmpty() ? "" : "; already present: " + r.alreadyPresent().stream()
                        .map(ImportResult.AlreadyPresent::where).toList()));
    }

    /** The journal entry of a certificate to monitor, id 0 until it is certain to be stored. */
    private Entry.CertAdded monitored(X509CertificateHolder c, CaState named, String group, String description) {
        String subject = c.getSubject().toString();
        long caId;
        if (named != null) {
            if (!maker.signedBy(c, named.certificate)) {
                throw new CertificateStoreException("the signature of '" + subject + "' does not verify against CA "
                        + named.info.id() + " '" + named.info.subject() + "'");
            }
            caId = named.info.id();
        } else {
            caId = issuingCa(c);
        }
        byte[] der = encoded(c);
        PublicKey key = maker.publicKeyOf(c);
        List<SubjectAltName> sans = SubjectAltNames.of(c);
        String host = SubjectAltNames.host(c, sans);
        return new Entry.CertAdded(0, Role.MONITORED, host, SubjectAltNames.alternativeNames(host, sans), sans, caId,
                group, description, now(), 0, subject, c.getIssuer().toString(), c.getSerialNumber(),
                c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), Pem.sha256(der), KeyPairs.algorithmName(key),
                KeyPairs.keySize(key), der, new byte[0]);
    }

    private static Entry.CertAdded withId(Entry.CertAdded e, long id) {
        return new Entry.CertAdded(id, e.role(), e.host(), e.alternativeNames(), e.subjectAltNames(), e.caId(),
                e.group(), e.description(), e.createdAt(), e.predecessorId(), e.subject(), e.issuer(), e.serial(),
                e.notBefore(), e.notAfter(), e.fingerprint(), e.keyAlgorithm(), e.keySize(), e.certificate(),
                e.encryptedKey());
    }

    /**
     * The key matching proves possession, not that the certificate is intact: a damaged CA certificate
     * would be stored and then refused by every peer it is given to. A root must verify against itself,
     * an intermediate against its issuer, given in the same import or already a CA here.
     */
    private void requireIntact(X509CertificateHolder ca, List<X509CertificateHolder> given) {
        if (ca.getSubject().equals(ca.getIssuer())) {
            if (!maker.signedBy(ca, ca)) {
                throw new CertificateStoreException("the self-signature of '" + ca.getSubject()
                        + "' does not verify: the CA certificate is damaged");
            }
            return;
        }
        List<X509CertificateHolder> issuers = new ArrayList<>();
        given.stream().filter(c -> c.getSubject().equals(ca.getIssuer())).forEach(issuers::add);
        cas.values().stream().map(s -> s.certificate).filter(c -> c.getSubject().equals(ca.getIssuer()))
                .forEach(issuers::add);
        if (issuers.isEmpty()) {
            throw new CertificateStoreException("the issuer '" + ca.getIssuer() + "' of '" + ca.getSubject()
                    + "' is neither in the import nor a CA here: import the CA with its chain, or its issuer first");
        }
        if (issuers.stream().noneMatch(issuer -> maker.signedBy(ca, issuer))) {
            throw new CertificateStoreException("the signature of '" + ca.getSubject() + "' does not verify against"
                    + " its issuer '" + ca.getIssuer() + "': the CA certificate is damaged");
        }
    }

    private long issuingCa(X509CertificateHolder c) {
        for (CaState ca : cas.values()) {
            if (ca.certificate.getSubject().equals(c.getIssuer()) && maker.signedBy(c, ca.certificate)) {
                return ca.info.id();
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- renew, revoke

    @Override
    public CertificateInfo renew(long certificateId, RenewRequest request, String actor) {
        RenewRequest r = request == null ? RenewRequest.defaults() : request;
        return audited(actor, "certificate.renew", () -> "certificate:" + certificateId, () -> {
            CertificateInfo old = requireCertificate(certificateId);
            if (old.role() == Role.MONITORED) {
                throw new CertificateStoreException("certificate " + certificateId
                        + " is monitor-only (imported without key); it cannot be renewed here");
            }
            CaState ca = requireCa(r.caId() == null ? old.caId() : r.caId());
            PrivateKey reuse = null;
            KeyType type = keyTypeOf(old);
            if (!r.newKey()) {
                reuse = privateKey(certificateId);
            }
            List<String> names = new ArrayList<>();
            names.add(old.host());
            names.addAll(old.alternativeNames());
            Plan plan = plan(ca, old.role(), names, Names.subject(old.subject()), old.homeGroup(), old.description(),
                    type, r.notAfter(), certificateId, reuse);
            CertificateInfo renewed = commitPlans(List.of(plan)).get(0);
            Map<String, Object> properties = eventProperties(renewed);
            properties.put("predecessor.id", certificateId);
            events.post(Topics.CERTIFICATE_RENEWED, properties);
            return renewed;
        }, c -> "ok: successor certificate:" + c.id());
    }

    private static KeyType keyTypeOf(CertificateInfo c) {
        return switch (c.keyAlgorithm()) {
            case "RSA" -> c.keySize() > 3072 ? KeyType.RSA_4096 : c.keySize() > 2048 ? KeyType.RSA_3072 : KeyType.RSA_2048;
            case "Ed25519" -> KeyType.ED25519;
            default -> c.keySize() > 256 ? KeyType.EC_P384 : KeyType.EC_P256;
        };
    }

    private CertificateInfo requireCertificate(long id) {
        CertState s = certs.get(id);
        if (s == null) {
            throw new CertificateStoreException("there is no certificate with id " + id);
        }
        return s.info();
    }

    @Override
    public CertificateInfo revoke(long certificateId, RevocationReason reason, String actor) {
        RevocationReason why = reason == null ? RevocationReason.UNSPECIFIED : reason;
        return audited(actor, "certificate.revoke", () -> "certificate:" + certificateId, () -> {
            lifecycle.readLock().lock();
            try {
                ensureOpen();
                CertificateInfo c = requireCertificate(certificateId);
                if (c.caId() == 0) {
                    throw new CertificateStoreException("certificate " + certificateId
                            + " was not issued by a CA of this store; only its issuer can revoke it");
                }
                CaState ca = requireCa(c.caId());
                if (ca.info.status() != CaStatus.ACTIVE) {
                    throw new CertificateStoreException("the CA of certificate " + certificateId
                            + " is deleted; it can no longer publish revocations");
                }
                synchronized (reservations) {
                    if (requireCertificate(certificateId).revoked() || !pendingRevocations.add(certificateId)) {
                        throw new CertificateStoreException("certificate " + certificateId + " is already revoked");
                    }
                }
                try {
                    Entry.Revoked entry = new Entry.Revoked(certificateId, now(), why.code());
                    commit(List.of(entry));
                    applyRevocation(entry);
                } finally {
                    synchronized (reservations) {
                        pendingRevocations.remove(certificateId);
                    }
                }
                try {
                    reissueCrl(ca);
                } catch (IOException | RuntimeException e) {
                    // the revocation is durable in the journal and stands; the CRL is a projection of it:
                    // marked stale, the next CRL check (or revocation, or open) re-issues it
                    ca.crlNextUpdate = null;
                    LOG.severe("certificate " + certificateId + " is revoked, but the CRL of CA " + ca.info.id()
                            + " was not re-issued: " + e.getMessage() + "; retried at the next CRL check");
                }
                CertificateInfo revoked = requireCertificate(certificateId);
                Map<String, Object> properties = eventProperties(revoked);
                properties.put("reason", why.name());
                events.post(Topics.CERTIFICATE_REVOKED, properties);
                return revoked;
            } finally {
                lifecycle.readLock().unlock();
            }
        }, c -> "ok: " + why.name().toLowerCase(java.util.Locale.ROOT));
    }

    /** One journal write for all, one CRL per CA: a rollover retires thousands of certificates at once. */
    @Override
    public List<CertificateInfo> revokeAll(List<Long> certificateIds, RevocationReason reason, String actor) {
        RevocationReason why = reason == null ? RevocationReason.UNSPECIFIED : reason;
        return audited(actor, "certificate.revoke-all", () -> "certificates:" + certificateIds.size(), () -> {
            lifecycle.readLock().lock();
            try {
                ensureOpen();
                List<Long> taken = new ArrayList<>();
                Map<Long, CaState> affected = new java.util.TreeMap<>();
                synchronized (reservations) {
                    for (long id : new java.util.LinkedHashSet<>(certificateIds)) {
                        CertificateInfo c = requireCertificate(id);
                        if (c.revoked() || pendingRevocations.contains(id)) {
                            continue;
                        }
                        if (c.caId() == 0) {
                            throw new CertificateStoreException("certificate " + id
                                    + " was not issued by a CA of this store; only its issuer can revoke it");
                        }
                        CaState ca = requireCa(c.caId());
                        if (ca.info.status() != CaStatus.ACTIVE) {
                            throw new CertificateStoreException("the CA of certificate " + id
                                    + " is deleted; it can no longer publish revocations");
                        }
                        affected.put(ca.info.id(), ca);
                        taken.add(id);
                    }
                    pendingRevocations.addAll(taken);
                }
                List<CertificateInfo> out = new ArrayList<>();
                try {
                    Instant at = now();
                    List<Entry.Revoked> entries = taken.stream().map(id -> new Entry.Revoked(id, at, why.code())).toList();
                    if (!entries.isEmpty()) {
                        commit(entries);
                    }
                    entries.forEach(this::applyRevocation);
                } finally {
                    synchronized (reservations) {
                        pendingRevocations.removeAll(taken);
                    }
                }
                for (CaState ca : affected.values()) {
                    reissueCrl(ca);
                }
                for (long id : taken) {
                    CertificateInfo revoked = requireCertificate(id);
                    Map<String, Object> properties = eventProperties(revoked);
                    properties.put("reason", why.name());
                    events.post(Topics.CERTIFICATE_REVOKED, properties);
                    out.add(revoked);
                }
                return out;
            } finally {
                lifecycle.readLock().unlock();
            }
        }, list -> "ok: " + list.size() + " revoked, " + why.name().toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * Signs a new CRL with the next number, writes it durably, then journals its number: a crash in
     * between leaves a valid CRL whose number the next open takes over.
     */
    private void reissueCrl(CaState ca) throws IOException {
        synchronized (ca.crlLock) {
            Instant now = now();
            long number = ca.crlNumber + 1;
            List<CrlMaker.Revocation> revoked = new ArrayList<>();
            for (long id : revokedByCa.getOrDefault(ca.info.id(), Set.of())) {
                CertificateInfo c = certs.get(id).info();
                revoked.add(new CrlMaker.Revocation(c.serial(), c.revokedAt(), c.revocationReason().code()));
            }
            revoked.sort(Comparator.comparing(CrlMaker.Revocation::serial));
            Instant nextUpdate = now.plus(settings.crlValidity());
            X509CRLHolder crl = crlMaker.sign(ca.certificate, caKey(ca), number, now, nextUpdate, revoked);
            byte[] der = crl.getEncoded();
            DurableFiles.createDirectories(layout.crl(0, false).getParent());
            writeCrl(layout.crl(ca.info.id(), false), der);
            writeCrl(layout.crl(ca.info.id(), true), Pem.encode("X509 CRL", der));
            commit(List.of(new Entry.CrlIssued(ca.info.id(), number, now, nextUpdate)));
            ca.crlNumber = number;
            ca.crlNextUpdate = nextUpdate;
        }
    }

    /** The error names the file: "No space left on device" alone does not tell an admin where. */
    private static void writeCrl(Path file, byte[] content) throws IOException {
        try {
            DurableFiles.write(file, content, false);
        } catch (IOException e) {
            throw new IOException("CRL " + file + " not written: " + e.getMessage(), e);
        }
    }

    /** Re-issues every CRL of which less than a third of its validity remains (call it periodically). */
    public int refreshCrls() {
        int refreshed = 0;
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return 0;
            }
            Instant threshold = now().plus(settings.crlValidity().dividedBy(3));
            for (CaState ca : cas.values()) {
                Instant next = ca.crlNextUpdate;
                if (ca.info.status() == CaStatus.ACTIVE && (next == null || !next.isAfter(threshold))) {
                    try {
                        reissueCrl(ca);
                        refreshed++;
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.WARNING, "cannot re-issue the CRL of CA " + ca.info.id(), e);
                    }
                }
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        return refreshed;
    }

    @Override
    public byte[] crl(long caId, boolean pem) {
        requireCa(caId);
        try {
            return Files.readAllBytes(layout.crl(caId, pem));
        } catch (IOException e) {
            throw new CertificateStoreException("CA " + caId + " has no CRL (" + e.getMessage() + ")", e);
        }
    }

    // ---------------------------------------------------------------- export

    /** The decrypted private key of a certificate (for TLS and PKCS#12 export). */
    public PrivateKey privateKey(long certificateId) {
        lifecycle.readLock().lock();
        try {
            return privateKeyLocked(certificateId);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private PrivateKey privateKeyLocked(long certificateId) {
        CertState s = certs.get(certificateId);
        if (s == null) {
            throw new CertificateStoreException("there is no certificate with id " + certificateId);
        }
        if (s.keyLength() == 0) {
            throw new CertificateStoreException("the store holds no key for certificate " + certificateId);
        }
        try {
            return vault.decrypt(journal.read(s.keyPosition(), s.keyLength()));
        } catch (IOException | GeneralSecurityException e) {
            throw new CertificateStoreException("cannot read the key of certificate " + certificateId + ": "
                    + e.getMessage(), e);
        }
    }

    /** The DER certificate bytes as stored. */
    public byte[] certificateBytes(long certificateId) {
        lifecycle.readLock().lock();
        try {
            CertState s = certs.get(certificateId);
            if (s == null) {
                throw new CertificateStoreException("there is no certificate with id " + certificateId);
            }
            return journal.read(s.certificatePosition(), s.certificateLength());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    public byte[] caCertificateBytes(long caId) {
        return encoded(requireCa(caId).certificate);
    }

    @Override
    public byte[] export(long certificateId, ExportFormat format, char[] password, String actor) {
        CertificateInfo info = requireCertificate(certificateId);
        byte[] der = certificateBytes(certificateId);
        CaState ca = cas.get(info.caId());
        switch (format) {
            case PEM:
                return Pem.encode("CERTIFICATE", der);
            case DER:
                return der;
            case PEM_CHAIN: {
                byte[] leaf = Pem.encode("CERTIFICATE", der);
                if (ca == null) {
                    return leaf;
                }
                byte[] issuer = Pem.encode("CERTIFICATE", encoded(ca.certificate));
                byte[] both = java.util.Arrays.copyOf(leaf, leaf.length + issuer.length);
                System.arraycopy(issuer, 0, both, leaf.length, issuer.length);
                return both;
            }
            case PKCS12:
                return audited(actor, info.hasKey() ? "certificate.export-key" : "certificate.export",
                        () -> "certificate:" + certificateId, () -> {
                            requirePassword(password);
                            List<X509CertificateHolder> chain = new ArrayList<>();
                            chain.add(new X509CertificateHolder(der));
                            if (ca != null) {
                                chain.add(ca.certificate);
                            }
                            return pkcs12.write(info.subject(), info.hasKey() ? privateKey(certificateId) : null, chain,
                                    password);
                        }, b -> "ok: PKCS#12");
            default:
                throw new CertificateStoreException("unknown export format " + format);
        }
    }

    @Override
    public byte[] exportCa(long caId, ExportFormat format, char[] password, String actor) {
        CaState ca = requireCa(caId);
        byte[] der = encoded(ca.certificate);
        switch (format) {
            case PEM:
            case PEM_CHAIN:
                return Pem.encode("CERTIFICATE", der);
            case DER:
                return der;
            case PKCS12:
                return audited(actor, "ca.export-key", () -> "ca:" + caId, () -> {
                    requirePassword(password);
                    return pkcs12.write(ca.info.subject(), caKey(ca), List.of(ca.certificate), password);
                }, b -> "ok: PKCS#12");
            default:
                throw new CertificateStoreException("unknown export format " + format);
        }
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new CertificateStoreException("a PKCS#12 export needs a password");
        }
    }

    // ---------------------------------------------------------------- rekey

    /**
     * Re-encrypts every key under a new password: writes a complete new generation (journal, CA keys,
     * key files), switches {@code CURRENT} to it atomically, then removes the old generation. A crash
     * before the switch keeps the old password; after it, the new one.
     */
    @Override
    public void rekey(char[] newPassword, String actor) {
        audited(actor, "store.rekey", () -> "store", () -> {
            if (newPassword == null || newPassword.length < 8) {
                throw new CertificateStoreException("the new key password must have at least 8 characters");
            }
            lifecycle.writeLock().lock();
            try {
                ensureOpen();
                rekeyLocked(newPassword);
                return Boolean.TRUE;
            } finally {
                lifecycle.writeLock().unlock();
            }
        }, b -> "ok");
    }

    private void rekeyLocked(char[] newPassword) throws IOException, GeneralSecurityException {
        projector.drain();
        KeyVault next = KeyVault.derive(newPassword, KeyVault.newSalt(random), Math.max(vault.iterations(),
                settings.keyIterations()), random, provider);
        String nextGeneration = StoreLayout.generationName(StoreLayout.generationNumber(layout.generation()) + 1);
        StoreLayout target = new StoreLayout(folder, nextGeneration);
        if (Files.exists(target.generationFolder())) {
            deleteTree(target.generationFolder());
        }
        DurableFiles.createDirectories(target.generationFolder());
        try (Journal out = Journal.open(target.journal(), (p, b) -> { })) {
            List<Entry> batch = new ArrayList<>();
            List<CompletableFuture<Long>> writes = new ArrayList<>();
            batch.add(new Entry.Header(next.salt(), next.iterations(), next.passwordCheck()));
            List<CaState> sortedCas = cas.values().stream().sorted(Comparator.comparingLong(c -> c.info.id())).toList();
            for (CaState ca : sortedCas) {
                CaInfo i = ca.info;
                batch.add(new Entry.CaAdded(i.id(), i.imported(), i.homeGroup(), i.description(), i.createdAt(),
                        encoded(ca.certificate)));
                if (i.status() == CaStatus.DELETED) {
                    batch.add(new Entry.CaDeleted(i.id(), i.deletedAt(), i.deleteReason()));
                } else {
                    DurableFiles.createDirectories(target.caKey(i.id()).getParent());
                    DurableFiles.write(target.caKey(i.id()),
                            Pem.encode("ENCRYPTED PRIVATE KEY", next.encrypt(caKey(ca))), true);
                    batch.add(new Entry.CrlIssued(i.id(), ca.crlNumber, now(),
                            ca.crlNextUpdate == null ? now() : ca.crlNextUpdate));
                }
            }
            List<CertState> sorted = certs.values().stream().sorted(Comparator.comparingLong(s -> s.info().id()))
                    .toList();
            List<Entry> revocations = new ArrayList<>();
            for (CertState s : sorted) {
                CertificateInfo i = s.info();
                byte[] key = new byte[0];
                if (s.keyLength() > 0) {
                    key = next.encrypt(vault.decrypt(journal.read(s.keyPosition(), s.keyLength())));
                    Path keyFile = target.key(i.id());
                    DurableFiles.createDirectories(keyFile.getParent());
                    DurableFiles.writeVisible(keyFile, Pem.encode("ENCRYPTED PRIVATE KEY", key), true);
                }
                batch.add(new Entry.CertAdded(i.id(), i.role(), i.host(), i.alternativeNames(), i.subjectAltNames(),
                        i.caId(), i.homeGroup(),
                        i.description(), i.createdAt(), i.predecessorId(), i.subject(), i.issuer(), i.serial(),
                        i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(), i.keySize(),
                        journal.read(s.certificatePosition(), s.certificateLength()), key));
                if (i.revoked()) {
                    revocations.add(new Entry.Revoked(i.id(), i.revokedAt(), i.revocationReason().code()));
                }
                if (batch.size() >= 1000) {
                    writes.add(out.append(codec.encode(batch)));
                    batch = new ArrayList<>();
                }
            }
            batch.addAll(revocations);
            if (serverCertificateId != 0) {
                batch.add(new Entry.ServerCertificate(serverCertificateId));
            }
            writes.add(out.append(codec.encode(batch)));
            CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
        }
        // the key projections were written without fsync; make the new generation durable as a whole
        syncTree(target.generationFolder());
        writeCurrent(nextGeneration);
        StoreLayout previous = layout;
        journal.close();
        layout = target;
        vault = next;
        reloadIndex();
        deleteTree(previous.generationFolder());
        DurableFiles.fsyncDirectory(folder);
        LOG.info("store " + folder + ": every key re-encrypted under the new password (" + nextGeneration + ")");
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

    private void reloadIndex() throws IOException {
        Map<Long, PrivateKey> caKeys = new HashMap<>();
        cas.forEach((id, c) -> {
            if (c.key != null) {
                caKeys.put(id, c.key);
            }
        });
        cas.clear();
        certs.clear();
        caByFingerprint.clear();
        certByFingerprint.clear();
        revokedByCa.clear();
        journal = Journal.open(layout.journal(), (position, payload) -> {
            for (EntryCodec.Decoded d : codec.decode(position, payload, true)) {
                if (!(d.entry() instanceof Entry.Header)) {
                    apply(d);
                }
            }
        });
        caKeys.forEach((id, key) -> {
            CaState c = cas.get(id);
            if (c != null && c.info.status() == CaStatus.ACTIVE) {
                c.key = key;
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    private static String group(String group) {
        if (group == null || group.isBlank()) {
            return ROOT_GROUP;
        }
        String g = group.strip();
        if (g.chars().anyMatch(Character::isISOControl) || !Names.wellFormed(g)) {
            throw new CertificateStoreException("the group '" + group + "' contains control characters or an unpaired"
                    + " UTF-16 surrogate");
        }
        return g;
    }

    private static String description(String description) {
        if (description == null) {
            return "";
        }
        if (description.length() > MAX_DESCRIPTION) {
            throw new CertificateStoreException("the description has " + description.length()
                    + " characters; at most " + MAX_DESCRIPTION + " are allowed");
        }
        if (!Names.wellFormed(description)) {
            // it has no UTF-8 form: the journal and every JSON answer would have to mangle it
            throw new CertificateStoreException("the description contains an unpaired UTF-16 surrogate: not valid Unicode");
        }
        return description;
    }

    /** Millisecond precision: the journal keeps milliseconds, so memory must not hold more than it. */
    private Instant now() {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    private void ensureOpen() {
        if (closed) {
            throw new CertificateStoreException("the certificate store is closed");
        }
    }

    /** Work that may throw checked exceptions. */
    @FunctionalInterface
    private interface Work<T> {
        T run() throws Exception;
    }

    /** Runs an operation and appends its outcome, ok or refused, to the audit log. */
    private <T> T audited(String actor, String action, Supplier<String> target, Work<T> work,
            java.util.function.Function<T, String> outcome) {
        T result;
        try {
            result = work.run();
        } catch (CertificateStoreException e) {
            record(actor, action, target.get(), "refused: " + e.getMessage());
            throw e;
        } catch (Exception e) {
            record(actor, action, target.get(), "failed: " + e);
            throw new CertificateStoreException(action + " failed: " + e.getMessage(), e);
        }
        String what = target.get();
        if (result instanceof CaInfo c) {
            what = "ca:" + c.id();
        } else if (result instanceof CertificateInfo c) {
            what = "certificate:" + c.id();
        }
        record(actor, action, what, outcome.apply(result));
        return result;
    }

    private void record(String actor, String action, String target, String outcome) {
        try {
            audit.append(new AuditEntry(now(), actor == null ? "" : actor, action, target, outcome, ""));
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "cannot append to the audit log: " + action + " " + target + " " + outcome, e);
        }
    }

    /** Finishes running work, closes the journal and marks the store cleanly closed. */
    @Override
    public void close() throws IOException {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            workers.shutdown();
            try {
                workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            journal.close();
            // the clean marker promises that every projection is written: only after the projector drained
            projector.close();
            DurableFiles.write(folder.resolve(StoreLayout.CLEAN), new byte[0], false);
        } finally {
            lifecycle.writeLock().unlock();
        }
    }

    /** Cleans up after a failed open without marking the store clean. */
    private void abandon() {
        closed = true;
        workers.shutdownNow();
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

    /** For the crash test: stop without the clean marker, like a crash would (journal stays as is). */
    void closeUncleanly() throws IOException {
        abandon();
    }
}
