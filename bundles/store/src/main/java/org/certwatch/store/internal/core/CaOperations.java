package org.certwatch.store.internal.core;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.KeyType;
import org.certwatch.commons.certs.Container;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.pki.CertificateCheck;
import org.certwatch.store.internal.pki.ImportReader;
import org.certwatch.store.internal.pki.KeyPairs;
import org.certwatch.store.internal.pki.Names;
import org.certwatch.store.internal.pki.Pem;

/** The CAs: created here, imported with their key, deleted when nothing depends on them any more. */
final class CaOperations {
    private final StoreContext store;
    private final Crls crls;
    private final KeyPairs keyPairs;
    private final ImportReader importReader;
    private final CertificateCheck check;
    private final Supplier<List<CaDeletionGuard>> guards;

    CaOperations(StoreContext store, Crls crls, KeyPairs keyPairs, ImportReader importReader, CertificateCheck check,
            Supplier<List<CaDeletionGuard>> guards) {
        this.store = store;
        this.crls = crls;
        this.keyPairs = keyPairs;
        this.importReader = importReader;
        this.check = check;
        this.guards = guards;
    }

    CaInfo createCa(CaRequest request, String actor) {
        return store.audited.run(actor, "ca.create", () -> "ca:" + store.index.peekCaId(), () -> {
            X500Name subject = Names.subject(request.subject());
            KeyType type = request.keyType() == null ? KeyType.EC_P256 : request.keyType();
            Duration validity = request.validity() == null ? store.settings().caValidity() : request.validity();
            if (validity.isNegative() || validity.isZero()) {
                throw new CertificateStoreException("the CA validity must be positive, not " + validity);
            }
            String group = Fields.group(request.homeGroup());
            String description = Fields.description(request.description());
            Instant now = store.now();
            KeyPair keys = keyPairs.generate(type);
            X509CertificateHolder certificate = store.maker.selfSignedCa(subject, keys,
                    now.minus(store.settings().clockSkew()), now.plus(validity));
            return addCa(certificate, keys.getPrivate(), false, group, description, now);
        }, c -> "ca:" + c.id());
    }

    CaInfo importCa(byte[] certificate, byte[] key, char[] password, String description, String homeGroup,
            String actor) {
        return store.audited.run(actor, "ca.import", () -> "ca", () -> {
            Container material = importReader.read(certificate, password, true, "the CA certificate");
            List<PrivateKey> keys = new ArrayList<>(material.keys());
            if (key != null && key.length > 0) {
                keys.addAll(importReader.read(key, password, true, "the CA key").keys());
            }
            List<X509CertificateHolder> certificates = material.certificates().stream()
                    .map(der -> check.readForTrust(der, "the CA certificate").holder()).distinct().toList();
            if (certificates.isEmpty()) {
                throw new CertificateStoreException("the CA import holds no certificate");
            }
            if (keys.isEmpty()) {
                throw new CertificateStoreException("the CA import holds no private key; a CA needs its key to sign");
            }
            X509CertificateHolder chosen = null;
            PrivateKey chosenKey = null;
            for (X509CertificateHolder c : certificates) {
                for (PrivateKey k : keys) {
                    if (store.maker.keyMatches(k, c)) {
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
            requireIntact(chosen, certificates);
            String fingerprint = Pem.sha256(chosen.getEncoded());
            Long existing = store.index.caIdByFingerprint(fingerprint);
            if (existing != null) {
                throw new CertificateStoreException("this CA is already in the store as CA " + existing
                        + " (fingerprint " + fingerprint + ")");
            }
            return addCa(chosen, chosenKey, true, Fields.group(homeGroup), Fields.description(description),
                    store.now());
        }, c -> "ca:" + c.id());
    }

    private CaInfo addCa(X509CertificateHolder certificate, PrivateKey key, boolean imported, String group,
            String description, Instant now) throws IOException {
        return store.lifecycle.whileOpen(() -> {
            long id = store.index.takeCaId();
            // the key first, durably: a CA record must never exist without its key
            store.backend.writeCaKey(id, store.vault().encrypt(key));
            Entry.CaAdded entry = new Entry.CaAdded(id, imported, group, description, now, certificate.getEncoded());
            store.commit(List.of(entry));
            store.index.applyCa(entry);
            CaState state = store.index.caState(id);
            state.key = key;
            store.backend.writeCaCertificate(id, certificate.getEncoded());
            crls.reissue(state);
            store.events.post(Topics.CA_CREATED, Map.of("ca.id", id, "subject", state.info.subject(),
                    "imported", imported, "fingerprint", state.info.fingerprint()));
            return state.info;
        });
    }

    /**
     * The key matching proves possession, not that the certificate is intact: a damaged CA certificate
     * would be stored and then refused by every peer it is given to. A root must verify against itself,
     * an intermediate against its issuer, given in the same import or already a CA here.
     */
    private void requireIntact(X509CertificateHolder ca, List<X509CertificateHolder> given) {
        if (ca.getSubject().equals(ca.getIssuer())) {
            if (!store.maker.signedBy(ca, ca)) {
                throw new CertificateStoreException("the self-signature of '" + ca.getSubject()
                        + "' does not verify: the CA certificate is damaged");
            }
            return;
        }
        List<X509CertificateHolder> issuers = new ArrayList<>();
        given.stream().filter(c -> c.getSubject().equals(ca.getIssuer())).forEach(issuers::add);
        for (CaState s : store.index.caStates()) {
            if (s.certificate.getSubject().equals(ca.getIssuer())) {
                issuers.add(s.certificate);
            }
        }
        if (issuers.isEmpty()) {
            throw new CertificateStoreException("the issuer '" + ca.getIssuer() + "' of '" + ca.getSubject()
                    + "' is neither in the import nor a CA here: import the CA with its chain, or its issuer first");
        }
        if (issuers.stream().noneMatch(issuer -> store.maker.signedBy(ca, issuer))) {
            throw new CertificateStoreException("the signature of '" + ca.getSubject() + "' does not verify against"
                    + " its issuer '" + ca.getIssuer() + "': the CA certificate is damaged");
        }
    }

    List<String> caDeletionBlockers(long caId) {
        CaState ca = store.index.requireCa(caId);
        Instant now = store.now();
        List<Long> live = new ArrayList<>();
        for (CertState s : store.index.certStates()) {
            CertificateInfo c = s.info();
            if (c.caId() == caId && !c.revoked() && c.notAfter().isAfter(now)) {
                live.add(c.id());
            }
        }
        live.sort(null);
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

    CaInfo deleteCa(long caId, String forceReason, String actor) {
        boolean forced = forceReason != null && !forceReason.isBlank();
        return store.audited.run(actor, forced ? "ca.delete-forced" : "ca.delete", () -> "ca:" + caId,
                () -> store.lifecycle.exclusive(() -> {
                    CaState ca = store.index.requireCa(caId);
                    if (ca.info.status() == CaStatus.DELETED) {
                        throw new CertificateStoreException("CA " + caId + " is already deleted");
                    }
                    List<String> blockers = caDeletionBlockers(caId);
                    if (!blockers.isEmpty() && !forced) {
                        throw new CertificateStoreException("CA " + caId + " cannot be deleted: "
                                + String.join("; ", blockers) + ". Force it with a reason to delete anyway");
                    }
                    String reason = forced ? forceReason.strip()
                            + (blockers.isEmpty() ? "" : " (overriding: " + String.join("; ", blockers) + ")") : "";
                    Entry.CaDeleted entry = new Entry.CaDeleted(caId, store.now(), reason);
                    store.commit(List.of(entry));
                    store.index.apply(new EntryCodec.Decoded(entry));
                    store.backend.deleteCaKey(caId);
                    store.events.post(Topics.CA_DELETED, Map.of("ca.id", caId, "subject", ca.info.subject(),
                            "forced", forced, "reason", reason));
                    return ca.info;
                }), c -> "ok" + (c.deleteReason().isEmpty() ? "" : " (forced: " + c.deleteReason() + ")"));
    }
}
