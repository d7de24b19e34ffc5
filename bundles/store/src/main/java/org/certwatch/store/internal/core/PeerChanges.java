package org.certwatch.store.internal.core;

import java.io.IOException;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.store.internal.persist.Entry;
import org.certwatch.store.internal.persist.EntryCodec;
import org.certwatch.store.internal.persist.StoreBackend;

/**
 * What another server sharing the store stored: applied to this server's index and announced with the events its
 * own change would have posted, so pages, the API, MIB tables, metrics and caches follow on every server.
 */
final class PeerChanges implements StoreBackend.Follower {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");

    private final StoreContext store;

    PeerChanges(StoreContext store) {
        this.store = store;
    }

    /**
     * A rekey elsewhere: the same facts under new keys. With no change of this server running, the index is read
     * again from the new generation and the key password again from its source (no event: nothing visible changed).
     */
    @Override
    public void switched() {
        try {
            store.lifecycle.exclusive(() -> store.backend.reload(d -> {
                if (d.entry() instanceof Entry.Header h) {
                    store.index.clear();
                    store.rekeyedElsewhere(h);
                } else {
                    store.index.apply(d);
                }
            }));
        } catch (IOException | RuntimeException e) {
            // closed meanwhile, or the backend is unreachable: the next open reads the current generation
            LOG.log(Level.WARNING, "store: cannot switch to the generation another server made current: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void applied(EntryCodec.Decoded decoded) throws IOException {
        Entry entry = decoded.entry();
        if (entry instanceof Entry.CertAdded c) {
            certificateAdded(store.index.applyCertificate(c, decoded));
            return;
        }
        if (entry instanceof Entry.GroupRenamed) {
            GroupRenameEvents.applyAndAnnounce(store, decoded);
            return;
        }
        CertificateInfo deleted = entry instanceof Entry.CertDeleted d
                ? store.index.certificate(d.certificateId()).orElse(null) : null;
        store.index.apply(decoded);
        if (entry instanceof Entry.CaAdded c) {
            CaInfo ca = store.index.requireCa(c.id()).info;
            store.events.post(Topics.CA_CREATED, Map.of("ca.id", ca.id(), "subject", ca.subject(),
                    "imported", ca.imported(), "fingerprint", ca.fingerprint()));
        } else if (entry instanceof Entry.CaDeleted d) {
            store.events.post(Topics.CA_DELETED, Map.of("ca.id", d.caId(),
                    "subject", store.index.requireCa(d.caId()).info.subject(), "forced", !d.reason().isEmpty(),
                    "reason", d.reason()));
        } else if (entry instanceof Entry.Revoked r) {
            Map<String, Object> properties = properties(r.certificateId());
            properties.put("reason", RevocationReason.ofCode(r.reasonCode()).name());
            store.events.post(Topics.CERTIFICATE_REVOKED, properties);
        } else if (entry instanceof Entry.ServerCertificate s) {
            store.events.post(Topics.SERVER_CERTIFICATE_CHANGED, properties(s.certificateId()));
        } else if (entry instanceof Entry.Linked l) {
            store.events.post(Topics.CERTIFICATE_CHANGED, properties(l.certificateId()));
        } else if (entry instanceof Entry.Retired r) {
            store.events.post(Topics.CERTIFICATE_CHANGED, properties(r.certificateId()));
        } else if (deleted != null) {
            store.events.post(Topics.CERTIFICATE_DELETED, StoreContext.eventProperties(deleted));
        }
    }

    /** Issued, renewed (it names its predecessor) or imported (monitored), as {@code Issuance} and {@code Importer} say. */
    private void certificateAdded(CertificateInfo c) {
        Map<String, Object> properties = StoreContext.eventProperties(c);
        if (c.role() == Role.MONITORED) {
            store.events.post(Topics.CERTIFICATE_IMPORTED, properties);
            if (c.predecessorId() != 0) {
                store.events.post(Topics.CERTIFICATE_CHANGED, properties(c.predecessorId()));
            }
        } else if (c.predecessorId() != 0) {
            properties.put("predecessor.id", c.predecessorId());
            store.events.post(Topics.CERTIFICATE_RENEWED, properties);
        } else {
            store.events.post(Topics.CERTIFICATE_ISSUED, properties);
        }
    }

    private Map<String, Object> properties(long certificateId) {
        return StoreContext.eventProperties(store.index.requireCertificate(certificateId));
    }
}
