package org.certwatch.store.internal.core;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.StoreBackend;
import org.certwatch.store.internal.pki.KeyVault;

/**
 * Re-encrypts every key under a new password: the backend writes a complete new generation (entries,
 * CA keys, key files) and switches to it atomically. A crash before the switch keeps the old password;
 * after it, the new one.
 */
final class Rekey {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final StoreContext store;
    private final Sealing sealing;

    Rekey(StoreContext store, Sealing sealing) {
        this.store = store;
        this.sealing = sealing;
    }

    void rekey(char[] newPassword, String actor) {
        store.audited.run(actor, "store.rekey", () -> "store", () -> {
            if (newPassword == null || newPassword.length < 8) {
                throw new CertificateStoreException("the new key password must have at least 8 characters");
            }
            return store.lifecycle.exclusive(() -> {
                rekeyLocked(newPassword);
                return Boolean.TRUE;
            });
        }, b -> "ok");
    }

    private void rekeyLocked(char[] newPassword) throws IOException, GeneralSecurityException {
        store.backend.awaitFiles();
        KeyVault current = store.vault();
        KeyVault next = KeyVault.derive(newPassword, KeyVault.newSalt(store.random), Math.max(current.iterations(),
                store.settings().keyIterations()), store.random, store.provider);
        Map<Long, PrivateKey> caKeys = new HashMap<>();
        String generation = store.backend.rewrite(new StoreBackend.Rewrite() {
            @Override
            public void write(StoreBackend.Generation target) throws IOException, GeneralSecurityException {
                writeGeneration(target, current, next);
            }

            @Override
            public void switched() {
                store.vault(next);
                // the decrypted CA keys stay cached across the reload
                for (CaState c : store.index.caStates()) {
                    if (c.key != null) {
                        caKeys.put(c.info.id(), c.key);
                    }
                }
                store.index.clear();
            }
        }, store.index::apply);
        caKeys.forEach((id, key) -> {
            CaState c = store.index.caState(id);
            if (c != null && c.info.status() == CaStatus.ACTIVE) {
                c.key = key;
            }
        });
        LOG.info("store " + store.backend.where() + ": every key re-encrypted under the new password (" + generation + ")");
    }

    private void writeGeneration(StoreBackend.Generation target, KeyVault current, KeyVault next)
            throws IOException, GeneralSecurityException {
        List<Entry> batch = new ArrayList<>();
        List<CompletableFuture<Long>> writes = new ArrayList<>();
        batch.add(new Entry.Header(next.salt(), next.iterations(), next.passwordCheck()));
        for (CaState ca : store.index.caStatesById()) {
            CaInfo i = ca.info;
            batch.add(new Entry.CaAdded(i.id(), i.imported(), i.homeGroup(), i.description(), i.createdAt(),
                    StoreContext.encoded(ca.certificate)));
            if (i.status() == CaStatus.DELETED) {
                batch.add(new Entry.CaDeleted(i.id(), i.deletedAt(), i.deleteReason()));
            } else {
                target.writeCaKey(i.id(), next.encrypt(store.caKey(ca)));
                batch.add(new Entry.CrlIssued(i.id(), ca.crlNumber, store.now(),
                        ca.crlNextUpdate == null ? store.now() : ca.crlNextUpdate));
            }
        }
        List<Entry> revocations = new ArrayList<>();
        List<Entry> monitored = new ArrayList<>();
        for (CertState s : store.index.certStatesById()) {
            CertificateInfo i = s.info();
            boolean linked = i.role() == Role.MONITORED;
            if (linked && (i.predecessorId() != 0 || i.successorId() != 0)) {
                // a successor may have the lower id (a certificate already present took over): links after all
                monitored.add(new Entry.Linked(i.id(), i.predecessorId(), i.successorId()));
            }
            if (i.retired()) {
                monitored.add(new Entry.Retired(i.id(), i.retiredAt()));
            }
            byte[] key = new byte[0];
            if (s.keyLength() > 0) {
                key = next.encrypt(current.decrypt(store.backend.read(s.keyPosition(), s.keyLength())));
                target.writeKey(i.id(), key);
            }
            batch.add(new Entry.CertAdded(i.id(), i.role(), i.host(), i.alternativeNames(), i.subjectAltNames(),
                    i.caId(), i.homeGroup(), i.description(), i.createdAt(), linked ? 0 : i.predecessorId(), i.subject(),
                    i.issuer(), i.serial(), i.notBefore(), i.notAfter(), i.fingerprint(), i.keyAlgorithm(),
                    i.keySize(), store.backend.read(s.certificatePosition(), s.certificateLength()), key));
            if (i.revoked()) {
                revocations.add(new Entry.Revoked(i.id(), i.revokedAt(), i.revocationReason().code()));
            }
            if (batch.size() >= 1000) {
                writes.add(target.append(batch));
                batch = new ArrayList<>();
            }
        }
        batch.addAll(revocations);
        batch.addAll(monitored);
        for (long deleted : store.index.deletedIds()) {
            batch.add(new Entry.CertDeleted(deleted, store.now()));
        }
        byte[] dataKey = sealing.rawKey();
        if (dataKey != null) {
            batch.add(new Entry.SealingKey(next.wrap(dataKey)));
            java.util.Arrays.fill(dataKey, (byte) 0);
        }
        if (store.index.lastGroupRename() != 0) {
            // the records above hold the renamed paths; the number keeps a rename from being applied twice
            batch.add(new Entry.GroupRenamed(store.index.lastGroupRename(), "", ""));
        }
        long server = store.index.serverCertificateId();
        if (server != 0) {
            batch.add(new Entry.ServerCertificate(server));
        }
        writes.add(target.append(batch));
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }
}
