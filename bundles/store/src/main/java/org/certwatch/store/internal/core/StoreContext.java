package org.certwatch.store.internal.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.persist.StoreBackend;
import org.certwatch.store.internal.pki.CertificateMaker;
import org.certwatch.store.internal.pki.KeyVault;

/**
 * What the store's parts share: the backend, the index, the lock, the audit, the events, the key
 * vault and the PKI tools. One per open store.
 */
final class StoreContext {
    final StoreBackend backend;
    final StoreIndex index;
    final Lifecycle lifecycle;
    final Audited audited;
    final StoreEvents events;
    // replaced by a live configuration change
    private volatile StoreSettings settings;
    final BouncyCastleProvider provider;
    final SecureRandom random;
    final CertificateMaker maker;
    final ExecutorService workers;
    /**
     * Imports and changes to monitored certificates' links run one at a time: what they check (already present,
     * has a successor) cannot change before they commit.
     */
    final Object monitoredChanges = new Object();
    private final KeyPassword password;
    // replaced by a rekey, under the exclusive lock; volatile for the lock-free reads. Null after a rekey on another
    // server sharing the store until this server's key password opens the header it wrote (lockedBy).
    private volatile KeyVault vault;
    private volatile Entry.Header lockedBy;

    StoreContext(StoreBackend backend, KeyPassword password, Audited audited, StoreEvents events,
            StoreSettings settings, BouncyCastleProvider provider, SecureRandom random, ExecutorService workers) {
        this.backend = backend;
        this.password = password;
        this.lifecycle = new Lifecycle(backend);
        this.audited = audited;
        this.events = events;
        this.settings = settings;
        this.provider = provider;
        this.random = random;
        this.maker = new CertificateMaker(provider, random);
        this.index = new StoreIndex(maker);
        this.workers = workers;
    }

    Instant now() {
        return audited.now();
    }

    StoreSettings settings() {
        return settings;
    }

    void settings(StoreSettings settings) {
        this.settings = settings;
    }

    KeyVault vault() {
        KeyVault v = vault;
        return v != null ? v : unlock();
    }

    void vault(KeyVault vault) {
        this.vault = vault;
    }

    boolean hasVault() {
        return vault != null;
    }

    /**
     * Another server re-encrypted every key under a new password (its header): this server reads its key password
     * again; until that opens the header, everything that needs a key is refused with what to do.
     */
    void rekeyedElsewhere(Entry.Header header) {
        lockedBy = header;
        vault = null;
        try {
            unlock();
        } catch (CertificateStoreException e) {
            java.util.logging.Logger.getLogger("org.certwatch.store").severe(e.getMessage());
        }
    }

    /** Each call reads the password again (the admin may have set it meanwhile); PBKDF2 makes it slow, on purpose. */
    private synchronized KeyVault unlock() {
        KeyVault v = vault;
        if (v != null) {
            return v;
        }
        Entry.Header header = lockedBy;
        try {
            v = KeyVault.derive(password.read(), header.salt(), header.iterations(), random, provider);
        } catch (IOException e) {
            throw new CertificateStoreException("cannot read " + password.origin() + ": " + e.getMessage(), e);
        }
        if (!v.accepts(header.passwordCheck())) {
            throw new CertificateStoreException("the key password was changed by a rekey on another server sharing "
                    + "the store, and " + password.origin() + " does not open it: set the new one on this server too");
        }
        vault = v;
        return v;
    }

    void commit(List<? extends Entry> entries) throws IOException {
        backend.commit(entries);
    }

    /**
     * Stores the entries as one transaction; once durable, indexes them and queues their files, on a
     * worker (the backend's writer only ever writes).
     */
    CompletableFuture<List<CertificateInfo>> commitCertificates(List<? extends Entry> entries) {
        return backend.append(entries, workers).thenApply(decoded -> {
            List<CertificateInfo> result = new ArrayList<>(decoded.size());
            for (EntryCodec.Decoded d : decoded) {
                if (d.entry() instanceof Entry.CertAdded c) {
                    result.add(index.applyCertificate(c, d));
                    backend.project(c);
                } else {
                    // links written with the certificates (an import that replaces one)
                    applyQuietly(d);
                }
            }
            return result;
        });
    }

    private void applyQuietly(EntryCodec.Decoded d) {
        try {
            index.apply(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CA's key, decrypted once and then cached. */
    PrivateKey caKey(CaState ca) {
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
                    ca.key = vault().decrypt(backend.readCaKey(ca.info.id()));
                } catch (IOException | GeneralSecurityException e) {
                    throw new CertificateStoreException("cannot read the key of CA " + ca.info.id() + " from "
                            + backend.caKeyName(ca.info.id()) + ": " + e.getMessage(), e);
                }
            }
            return ca.key;
        }
    }

    /** The decrypted private key of a certificate; call under the lifecycle lock. */
    PrivateKey privateKey(long certificateId) {
        CertState s = index.certState(certificateId);
        if (s == null) {
            throw new CertificateStoreException("there is no certificate with id " + certificateId);
        }
        if (s.keyLength() == 0) {
            throw new CertificateStoreException("the store holds no key for certificate " + certificateId);
        }
        try {
            return vault().decrypt(backend.read(s.keyPosition(), s.keyLength()));
        } catch (IOException | GeneralSecurityException e) {
            throw new CertificateStoreException("cannot read the key of certificate " + certificateId + ": "
                    + e.getMessage(), e);
        }
    }

    static byte[] encoded(X509CertificateHolder c) {
        try {
            return c.getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Object> eventProperties(CertificateInfo c) {
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
}
