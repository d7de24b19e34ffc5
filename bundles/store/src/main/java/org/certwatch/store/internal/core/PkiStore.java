package org.certwatch.store.internal.core;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.api.store.SecretSealer;
import org.certwatch.api.store.TlsIdentity;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.persist.FileBackend;
import org.certwatch.store.internal.persist.FormatVersion;
import org.certwatch.store.internal.persist.SharedBackend;
import org.certwatch.store.internal.persist.StoreBackend;
import org.certwatch.store.internal.pki.CertificateCheck;
import org.certwatch.store.internal.pki.ImportReader;
import org.certwatch.store.internal.pki.KeyPairs;
import org.certwatch.store.internal.pki.KeyVault;
import org.certwatch.store.internal.pki.Pkcs12Writer;

/**
 * The certificate store: a facade over its parts (index and queries, CAs, issuance, import,
 * revocation and CRLs, export, rekey, the server identity, recovery on open), all over one
 * {@link StoreBackend}. Plain Java, so tests and the benchmark use it without OSGi; the DS
 * components wrap it.
 *
 * <p>Durability: a change counts once its journal transaction is durable (group commit). Files that
 * the journal can regenerate are written after that, atomically but without fsync; after a crash
 * (no {@code clean} marker) the store checks and rewrites them on open.
 */
public final class PkiStore implements CertificateStore, SecretSealer, Closeable {
    private final Path folder;
    private final StoreContext store;
    private final Crls crls;
    private final CaOperations cas;
    private final Issuance issuance;
    private final Importer importer;
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger("org.certwatch.store");
    private final Succession succession;
    /** Renames of groups are applied one batch at a time (what was applied decides what is written). */
    private final Object groupRenames = new Object();
    private final Sealing sealing;
    private final Revocation revocation;
    private final Export export;
    private final Rekey rekey;
    private final ServerIdentity server;
    private boolean freshlyCreated;

    /** What other servers sharing the store do, followed from the open to the close. */
    private Subscription peers = () -> { };

    private PkiStore(Path folder, StoreBackend backend, KeyPassword password, Clock clock, AuditLog audit,
            StoreEvents events, Supplier<List<CaDeletionGuard>> guards, StoreSettings settings,
            BouncyCastleProvider provider) {
        this.folder = folder;
        SecureRandom random = new SecureRandom();
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                r -> {
                    Thread t = new Thread(r, "certwatch-store-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.store = new StoreContext(backend, password, new Audited(audit, clock), events, settings, provider, random,
                workers);
        KeyPairs keyPairs = new KeyPairs(provider, random);
        ImportReader importReader = new ImportReader(provider);
        CertificateCheck check = new CertificateCheck(provider);
        this.crls = new Crls(store);
        this.cas = new CaOperations(store, crls, keyPairs, importReader, check, guards);
        this.issuance = new Issuance(store, keyPairs);
        this.succession = new Succession(store);
        this.sealing = new Sealing(store);
        this.importer = new Importer(store, importReader, check, succession);
        this.revocation = new Revocation(store, crls);
        this.export = new Export(store, new Pkcs12Writer(provider));
        this.rekey = new Rekey(store, sealing);
        this.server = new ServerIdentity(store, cas, issuance, export);
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
        return open(folder, new FileBackend(folder, clock, format), () -> password, clock, audit, events, guards,
                settings, provider);
    }

    /**
     * Opens (or creates) the store on a backend shared by several servers. It then applies what the other servers
     * store and announces it as its own changes (the same events), so every server's caches follow.
     */
    public static PkiStore openShared(Persistence persistence, KeyPassword password, Clock clock, AuditLog audit,
            StoreEvents events, Supplier<List<CaDeletionGuard>> guards, StoreSettings settings,
            BouncyCastleProvider provider) throws IOException {
        return open(null, new SharedBackend(persistence), password, clock, audit, events, guards, settings, provider);
    }

    private static PkiStore open(Path folder, StoreBackend backend, KeyPassword password, Clock clock,
            AuditLog audit, StoreEvents events, Supplier<List<CaDeletionGuard>> guards, StoreSettings settings,
            BouncyCastleProvider provider) throws IOException {
        requireIterations(settings);
        PkiStore store = new PkiStore(folder, backend, password, clock, audit, events, guards, settings, provider);
        try {
            store.freshlyCreated = new Recovery(store.store, store.crls).open(password.read());
            store.peers = backend.follow(new PeerChanges(store.store));
            return store;
        } catch (IOException | RuntimeException e) {
            store.abandon();
            throw e;
        }
    }

    /** Takes changed settings for what is done from now on (a live configuration change). */
    public void reconfigure(StoreSettings settings) {
        requireIterations(settings);
        store.settings(settings);
    }

    private static void requireIterations(StoreSettings settings) {
        if (settings.keyIterations() < KeyVault.MIN_ITERATIONS) {
            throw new IllegalArgumentException("key derivation needs at least " + KeyVault.MIN_ITERATIONS
                    + " PBKDF2 iterations");
        }
    }

    /** True when the store folder was created by this open (first start). */
    public boolean freshlyCreated() {
        return freshlyCreated;
    }

    /** The store's folder; null on a shared backend. */
    public Path folder() {
        return folder;
    }

    public int size() {
        return store.index.size();
    }

    @Override
    public List<CaInfo> cas() {
        return store.index.cas();
    }

    @Override
    public Optional<CaInfo> ca(long id) {
        return store.index.ca(id);
    }

    @Override
    public Optional<CaInfo> caByFingerprint(String sha256Hex) {
        return store.index.caByFingerprint(sha256Hex);
    }

    @Override
    public Optional<CertificateInfo> certificate(long id) {
        return store.index.certificate(id);
    }

    @Override
    public Optional<CertificateInfo> certificateByFingerprint(String sha256Hex) {
        return store.index.certificateByFingerprint(sha256Hex);
    }

    @Override
    public List<CertificateInfo> certificates(CertificateQuery query) {
        return store.index.certificates(query);
    }

    @Override
    public Optional<CertificateInfo> serverCertificate() {
        return server.serverCertificate();
    }

    @Override
    public CaInfo createCa(CaRequest request, String actor) {
        return cas.createCa(request, actor);
    }

    @Override
    public CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup,
            String actor) {
        return cas.importCa(certificate, key, password, description, homeGroup, actor);
    }

    @Override
    public List<String> caDeletionBlockers(long caId) {
        return cas.caDeletionBlockers(caId);
    }

    @Override
    public CaInfo deleteCa(long caId, String forceReason, String actor) {
        return cas.deleteCa(caId, forceReason, actor);
    }

    @Override
    public CertificateInfo issue(IssueRequest request, String actor) {
        return issuance.issue(request, actor);
    }

    @Override
    public List<CertificateInfo> issueAll(List<IssueRequest> requests, String actor) {
        return issuance.issueAll(requests, actor);
    }

    @Override
    public CertificateInfo renew(long certificateId, RenewRequest request, String actor) {
        return issuance.renew(certificateId, request, actor);
    }

    @Override
    public CertificateInfo supersede(long predecessorId, long successorId, String actor) {
        return succession.supersede(predecessorId, successorId, actor);
    }

    @Override
    public CertificateInfo setRetired(long certificateId, boolean retired, String actor) {
        return succession.setRetired(certificateId, retired, actor);
    }

    @Override
    public void deleteMonitored(long certificateId, String actor) {
        succession.deleteMonitored(certificateId, actor);
    }

    @Override
    public String seal(char[] secret) {
        return sealing.seal(secret);
    }

    @Override
    public char[] open(String sealed) {
        return sealing.open(sealed);
    }

    /**
     * Applies the fleet's renames of groups this store has not applied yet, in their order, as one journal
     * transaction: the CAs and certificates at an old path move to the new one, and the number of the last
     * rename is stored with them, so a rename is applied once however often it is offered (at start, on the
     * event, by two servers sharing the store at once). Not audited: the fleet audited the rename.
     *
     * @return how many renames were applied now
     */
    public int applyGroupRenames(List<GroupRename> renames) throws IOException {
        return store.lifecycle.whileOpen(() -> {
            synchronized (groupRenames) {
                List<Entry> entries = new ArrayList<>();
                long last = store.index.lastGroupRename();
                for (GroupRename r : renames) {
                    if (r.number() > last) {
                        entries.add(new Entry.GroupRenamed(r.number(), r.from(), r.to()));
                        last = r.number();
                    }
                }
                if (!entries.isEmpty()) {
                    store.commit(entries);
                    for (Entry e : entries) {
                        GroupRenameEvents.applyAndAnnounce(store, new EntryCodec.Decoded(e));
                    }
                    LOG.info("store: " + entries.size() + " group rename(s) applied through number " + last);
                }
                return entries.size();
            }
        });
    }

    /** The number of the last group rename applied, 0 for none. */
    public long lastGroupRename() {
        return store.index.lastGroupRename();
    }

    /** Waits until the PEM files of every committed certificate are on disk (tests, benchmark). */
    public void awaitFiles() throws IOException {
        store.backend.awaitFiles();
    }

    /** First start: the initial CA and the server's certificate (host * plus this machine's names). */
    public CertificateInfo ensureInitialCertificates(String hostName, String actor) {
        return server.ensureInitialCertificates(hostName, actor);
    }

    @Override
    public CertificateInfo setServerCertificate(long certificateId, String actor) {
        return server.setServerCertificate(certificateId, actor);
    }

    @Override
    public Optional<TlsIdentity> tlsIdentity(long certificateId) {
        return server.tlsIdentity(certificateId);
    }

    @Override
    public ImportResult importCertificates(byte[] data, char[] password, ImportOptions options, String actor) {
        return importer.importCertificates(data, password, options, actor);
    }

    @Override
    public ImportResult importDerCertificates(List<byte[]> certificates, ImportOptions options, String actor) {
        return importer.importDerCertificates(certificates, options, actor);
    }

    @Override
    public CertificateInfo revoke(long certificateId, RevocationReason reason, String actor) {
        return revocation.revoke(certificateId, reason, actor);
    }

    @Override
    public List<CertificateInfo> revokeAll(List<Long> certificateIds, RevocationReason reason, String actor) {
        return revocation.revokeAll(certificateIds, reason, actor);
    }

    /** Re-issues every CRL of which less than a third of its validity remains (call it periodically). */
    public int refreshCrls() {
        return crls.refresh();
    }

    @Override
    public byte[] crl(long caId, boolean pem) {
        return crls.crl(caId, pem);
    }

    /** The decrypted private key of a certificate (for TLS and PKCS#12 export). */
    public PrivateKey privateKey(long certificateId) {
        return store.lifecycle.shared(() -> store.privateKey(certificateId));
    }

    /** The DER certificate bytes as stored. */
    public byte[] certificateBytes(long certificateId) {
        return export.certificateBytes(certificateId);
    }

    public byte[] caCertificateBytes(long caId) {
        return export.caCertificateBytes(caId);
    }

    @Override
    public byte[] export(long certificateId, ExportFormat format, char[] password, String actor) {
        return export.export(certificateId, format, password, actor);
    }

    @Override
    public byte[] exportCa(long caId, ExportFormat format, char[] password, String actor) {
        return export.exportCa(caId, format, password, actor);
    }

    /**
     * Re-encrypts every key under a new password; a crash before the switch keeps the old password,
     * after it the new one.
     */
    @Override
    public void rekey(char[] newPassword, String actor) {
        rekey.rekey(newPassword, actor);
    }

    /** Finishes running work, closes the journal and marks the store cleanly closed. */
    @Override
    public void close() throws IOException {
        // first, not under the store's lock: a delivery in progress may be waiting for it
        peers.close();
        store.lifecycle.close(() -> {
            store.workers.shutdown();
            try {
                store.workers.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            store.backend.close();
            return null;
        });
    }

    /** Cleans up after a failed open without marking the store clean. */
    private void abandon() {
        store.lifecycle.markClosed();
        store.workers.shutdownNow();
        store.backend.abandon();
    }

    /** For the crash test: stop without the clean marker, like a crash would (journal stays as is). */
    void closeUncleanly() throws IOException {
        abandon();
    }
}
