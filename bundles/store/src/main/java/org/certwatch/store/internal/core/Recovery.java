package org.certwatch.store.internal.core;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.StoreBackend;
import org.certwatch.store.internal.pki.KeyVault;

/**
 * Opening the store: replays the stored entries into the index, opens the key vault, and puts right
 * what a crash can leave behind (keys of deleted CAs, missing or damaged projections, stale CRLs).
 */
final class Recovery {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final StoreContext store;
    private final Crls crls;

    Recovery(StoreContext store, Crls crls) {
        this.store = store;
        this.crls = crls;
    }

    /** Returns whether the store was created by this open (first start). */
    boolean open(char[] password) throws IOException {
        long started = System.nanoTime();
        // the key derivation (PBKDF2, ~0.5 s) runs on a worker while the entries replay
        List<CompletableFuture<KeyVault>> derived = new ArrayList<>(1);
        List<Entry.Header> headers = new ArrayList<>(1);
        StoreBackend.Opened opened = store.backend.open(d -> {
            if (d.entry() instanceof Entry.Header h) {
                headers.add(h);
                derived.add(CompletableFuture.supplyAsync(() -> KeyVault.derive(password, h.salt(),
                        h.iterations(), store.random, store.provider), store.workers));
            } else {
                store.index.apply(d);
            }
        });
        store.index.recoverImportedNames(store.backend);
        if (opened.header() == null) {
            // exactly once however many servers start on an empty shared store: the first one under the lock writes
            // the header; the others find it there (caught up into the sink above, which derives their key)
            store.backend.exclusively(() -> {
                if (derived.isEmpty()) {
                    KeyVault fresh = KeyVault.derive(password, KeyVault.newSalt(store.random),
                            store.settings().keyIterations(), store.random, store.provider);
                    store.commit(List.of(new Entry.Header(fresh.salt(), fresh.iterations(), fresh.passwordCheck())));
                    store.vault(fresh);
                }
                return null;
            });
        }
        if (!store.hasVault()) {
            KeyVault vault = derived.get(0).join();
            if (!vault.accepts(headers.get(0).passwordCheck())) {
                throw new CertificateStoreException("the key password does not open the store in "
                        + store.backend.where() + " (it is the one set when the store was created or last rekeyed"
                        + " — on a shared store, by any server; every server needs the same one; check "
                        + "CERTWATCH_KEY_PASSWORD / CERTWATCH_KEY_PASSWORD_FILE)");
            }
            store.vault(vault);
        }
        for (CaState ca : store.index.caStates()) {
            if (ca.info.status() == CaStatus.DELETED) {
                store.backend.deleteCaKey(ca.info.id());
            }
        }
        if (!opened.wasClean() && !opened.freshlyCreated()) {
            repairProjections();
            // a crash between a deletion's record and its files' removal
            for (long deleted : store.index.deletedIds()) {
                store.backend.unproject(deleted);
            }
        }
        crls.check();
        LOG.info("store " + store.backend.where() + " open: " + store.index.caCount()
                + " CAs, " + store.index.size() + " certificates in "
                + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms"
                + (opened.wasClean() || opened.freshlyCreated() ? "" : " (after an unclean stop; projections checked)"));
        return opened.freshlyCreated();
    }

    /** After an unclean stop: every projection must exist with the size its stored bytes give. */
    private void repairProjections() throws IOException {
        List<StoreBackend.CaCertificate> cas = new ArrayList<>();
        for (CaState ca : store.index.caStates()) {
            cas.add(new StoreBackend.CaCertificate(ca.info.id(), StoreContext.encoded(ca.certificate)));
        }
        List<StoreBackend.StoredCertificate> certificates = new ArrayList<>();
        for (CertState s : store.index.certStates()) {
            certificates.add(new StoreBackend.StoredCertificate(s.info().id(), s.certificatePosition(),
                    s.certificateLength(), s.keyPosition(), s.keyLength()));
        }
        int repaired = store.backend.repair(cas, certificates);
        if (repaired > 0) {
            LOG.info("store " + store.backend.where() + ": rewrote " + repaired + " certificate/key files from the journal");
        }
    }
}
