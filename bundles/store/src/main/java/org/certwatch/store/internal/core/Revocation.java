package org.certwatch.store.internal.core;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.store.internal.persist.Entry;

/** Revocation of certificates this store's CAs issued, one at a time or many in one write. */
final class Revocation {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final StoreContext store;
    private final Crls crls;
    /** Revocations under way: two callers must not both revoke one certificate. */
    private final Set<Long> pending = new HashSet<>();

    Revocation(StoreContext store, Crls crls) {
        this.store = store;
        this.crls = crls;
    }

    CertificateInfo revoke(long certificateId, RevocationReason reason, String actor) {
        RevocationReason why = reason == null ? RevocationReason.UNSPECIFIED : reason;
        return store.audited.run(actor, "certificate.revoke", () -> "certificate:" + certificateId,
                () -> store.lifecycle.whileOpen(() -> {
                    CertificateInfo c = store.index.requireCertificate(certificateId);
                    if (c.caId() == 0) {
                        throw new CertificateStoreException("certificate " + certificateId
                                + " was not issued by a CA of this store; only its issuer can revoke it");
                    }
                    CaState ca = store.index.requireCa(c.caId());
                    if (ca.info.status() != CaStatus.ACTIVE) {
                        throw new CertificateStoreException("the CA of certificate " + certificateId
                                + " is deleted; it can no longer publish revocations");
                    }
                    synchronized (pending) {
                        if (store.index.requireCertificate(certificateId).revoked() || !pending.add(certificateId)) {
                            throw new CertificateStoreException("certificate " + certificateId + " is already revoked");
                        }
                    }
                    try {
                        Entry.Revoked entry = new Entry.Revoked(certificateId, store.now(), why.code());
                        store.commit(List.of(entry));
                        store.index.applyRevocation(entry);
                    } finally {
                        synchronized (pending) {
                            pending.remove(certificateId);
                        }
                    }
                    try {
                        crls.reissue(ca);
                    } catch (IOException | RuntimeException e) {
                        // the revocation is durable in the journal and stands; the CRL is a projection of it:
                        // marked stale, the next CRL check (or revocation, or open) re-issues it
                        ca.crlNextUpdate = null;
                        LOG.severe("certificate " + certificateId + " is revoked, but the CRL of CA " + ca.info.id()
                                + " was not re-issued: " + e.getMessage() + "; retried at the next CRL check");
                    }
                    return announce(certificateId, why);
                }), c -> "ok: " + why.name().toLowerCase(Locale.ROOT));
    }

    /** One journal write for all, one CRL per CA: a rollover retires thousands of certificates at once. */
    List<CertificateInfo> revokeAll(List<Long> certificateIds, RevocationReason reason, String actor) {
        RevocationReason why = reason == null ? RevocationReason.UNSPECIFIED : reason;
        return store.audited.run(actor, "certificate.revoke-all", () -> "certificates:" + certificateIds.size(),
                () -> store.lifecycle.whileOpen(() -> {
                    List<Long> taken = new ArrayList<>();
                    Map<Long, CaState> affected = new TreeMap<>();
                    synchronized (pending) {
                        for (long id : new LinkedHashSet<>(certificateIds)) {
                            CertificateInfo c = store.index.requireCertificate(id);
                            if (c.revoked() || pending.contains(id)) {
                                continue;
                            }
                            if (c.caId() == 0) {
                                throw new CertificateStoreException("certificate " + id
                                        + " was not issued by a CA of this store; only its issuer can revoke it");
                            }
                            CaState ca = store.index.requireCa(c.caId());
                            if (ca.info.status() != CaStatus.ACTIVE) {
                                throw new CertificateStoreException("the CA of certificate " + id
                                        + " is deleted; it can no longer publish revocations");
                            }
                            affected.put(ca.info.id(), ca);
                            taken.add(id);
                        }
                        pending.addAll(taken);
                    }
                    try {
                        Instant at = store.now();
                        List<Entry.Revoked> entries = taken.stream()
                                .map(id -> new Entry.Revoked(id, at, why.code())).toList();
                        if (!entries.isEmpty()) {
                            store.commit(entries);
                        }
                        entries.forEach(store.index::applyRevocation);
                    } finally {
                        synchronized (pending) {
                            pending.removeAll(taken);
                        }
                    }
                    for (CaState ca : affected.values()) {
                        crls.reissue(ca);
                    }
                    List<CertificateInfo> out = new ArrayList<>();
                    for (long id : taken) {
                        out.add(announce(id, why));
                    }
                    return out;
                }), list -> "ok: " + list.size() + " revoked, " + why.name().toLowerCase(Locale.ROOT));
    }

    private CertificateInfo announce(long certificateId, RevocationReason why) {
        CertificateInfo revoked = store.index.requireCertificate(certificateId);
        Map<String, Object> properties = StoreContext.eventProperties(revoked);
        properties.put("reason", why.name());
        store.events.post(Topics.CERTIFICATE_REVOKED, properties);
        return revoked;
    }
}
