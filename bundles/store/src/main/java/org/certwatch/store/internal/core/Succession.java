package org.certwatch.store.internal.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.store.internal.persist.Entry;

/**
 * What sources do to monitored certificates: one replaces another where it is used (succession), one is no
 * longer used anywhere (retired), one is deleted. Each change is one durable journal transaction, audited and
 * announced.
 */
final class Succession {
    private final StoreContext store;

    Succession(StoreContext store) {
        this.store = store;
    }

    CertificateInfo supersede(long predecessorId, long successorId, String actor) {
        return store.audited.run(actor, "certificate.supersede",
                () -> "certificate:" + predecessorId + " by certificate:" + successorId,
                () -> store.lifecycle.whileOpen(() -> {
                    synchronized (store.monitoredChanges) {
                        List<Entry> entries = links(predecessorId, successorId);
                        if (!entries.isEmpty()) {
                            commit(entries);
                        }
                    }
                    announceChanged(successorId);
                    return announceChanged(predecessorId);
                }), c -> "ok: successor " + successorId);
    }

    /**
     * The entries that make {@code successorId} the successor of {@code predecessorId}; empty when it is already.
     * Call holding {@link StoreContext#monitoredChanges}.
     */
    List<Entry> links(long predecessorId, long successorId) {
        CertificateInfo old = requireMonitored(predecessorId);
        CertificateInfo next = requireMonitored(successorId);
        if (predecessorId == successorId) {
            throw new CertificateStoreException("certificate " + predecessorId + " cannot succeed itself");
        }
        if (old.successorId() == successorId) {
            return List.of();
        }
        if (old.successorId() != 0) {
            throw new CertificateStoreException("certificate " + predecessorId + " has a successor already, "
                    + "certificate " + old.successorId());
        }
        // the successor is in use again: if it had been replaced itself (a roll back), that link no longer holds,
        // or it would never alarm; its predecessor is kept unless that would make the two each other's
        long nextPredecessor = next.predecessorId() == 0 && old.predecessorId() != successorId ? predecessorId
                : next.predecessorId();
        return List.of(new Entry.Linked(predecessorId, old.predecessorId(), successorId),
                new Entry.Linked(successorId, nextPredecessor, 0));
    }

    CertificateInfo setRetired(long certificateId, boolean retired, String actor) {
        // already so: nothing changes, nothing to audit (a refusal below is audited)
        CertificateInfo current = store.index.certificate(certificateId).orElse(null);
        if (current != null && current.role() == Role.MONITORED && current.retired() == retired) {
            return current;
        }
        return store.audited.run(actor, retired ? "certificate.retire" : "certificate.unretire",
                () -> "certificate:" + certificateId, () -> store.lifecycle.whileOpen(() -> {
                    synchronized (store.monitoredChanges) {
                        if (requireMonitored(certificateId).retired() != retired) {
                            commit(List.of(new Entry.Retired(certificateId, retired ? store.now() : null)));
                        }
                    }
                    return announceChanged(certificateId);
                }), c -> "ok");
    }

    void deleteMonitored(long certificateId, String actor) {
        store.audited.run(actor, "certificate.delete", () -> "certificate:" + certificateId,
                () -> store.lifecycle.whileOpen(() -> {
                    CertificateInfo gone;
                    List<Long> unlinked = new ArrayList<>();
                    synchronized (store.monitoredChanges) {
                        gone = requireMonitored(certificateId);
                        List<Entry> entries = new ArrayList<>();
                        entries.add(new Entry.CertDeleted(certificateId, store.now()));
                        // links to it are cleared (a rare admin action: one look at every certificate is fine)
                        for (CertState s : store.index.certStates()) {
                            CertificateInfo i = s.info();
                            if (i.id() != certificateId
                                    && (i.predecessorId() == certificateId || i.successorId() == certificateId)) {
                                entries.add(new Entry.Linked(i.id(),
                                        i.predecessorId() == certificateId ? 0 : i.predecessorId(),
                                        i.successorId() == certificateId ? 0 : i.successorId()));
                                unlinked.add(i.id());
                            }
                        }
                        commit(entries);
                    }
                    store.backend.unproject(certificateId);
                    store.events.post(Topics.CERTIFICATE_DELETED, StoreContext.eventProperties(gone));
                    unlinked.forEach(this::announceChanged);
                    return gone;
                }), c -> "ok: deleted");
    }

    private void commit(List<Entry> entries) throws IOException {
        store.commit(entries);
        for (Entry e : entries) {
            store.index.apply(new org.certwatch.store.internal.persist.EntryCodec.Decoded(e));
        }
    }

    private CertificateInfo requireMonitored(long id) {
        CertificateInfo c = store.index.requireCertificate(id);
        if (c.role() != Role.MONITORED) {
            throw new CertificateStoreException("certificate " + id + " is not a monitored certificate (role "
                    + c.role() + "); only monitored certificates are superseded, retired or deleted here");
        }
        return c;
    }

    private CertificateInfo announceChanged(long id) {
        CertificateInfo c = store.index.requireCertificate(id);
        store.events.post(Topics.CERTIFICATE_CHANGED, StoreContext.eventProperties(c));
        return c;
    }
}
