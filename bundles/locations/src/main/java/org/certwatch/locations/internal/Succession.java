package org.certwatch.locations.internal;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;

/**
 * What the locations do to the store's certificates: a new certificate at a location succeeds the one it held, a
 * certificate no location holds any more retires, and one a location holds again is taken back.
 */
final class Succession {
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");

    private final CertificateStore store;
    private final LocationIndex index;

    Succession(CertificateStore store, LocationIndex index) {
        this.store = store;
        this.index = index;
    }

    /** The same certificate as at the location's last check (and still in the store: an admin may delete it). */
    boolean holdsNow(StoredLocation s, String fingerprint) {
        List<LocationHistoryEntry> history = s.history();
        LocationHistoryEntry head = history.isEmpty() ? null : history.get(0);
        return head != null && head.until() == null && head.fingerprint().equals(fingerprint)
                && store.certificate(head.certificateId()).isPresent();
    }

    /**
     * The location now holds {@code newCertificate} (before the index knows): what it held before is succeeded by
     * it unless another location still holds that one; the new one is taken back if it was retired.
     */
    void handOver(StoredLocation old, long newCertificate) {
        long oldCertificate = old == null ? 0 : old.location().certificateId();
        if (oldCertificate != 0 && oldCertificate != newCertificate && LocationIndex.holds(old)
                && index.holders(oldCertificate) == 1) {
            succeed(oldCertificate, newCertificate);
        }
        if (newCertificate != 0) {
            takeBack(newCertificate);
        }
    }

    /** A certificate no location holds any more (the index already says so) retires. */
    void retireIfUnheld(long certificateId) {
        if (certificateId != 0 && index.holders(certificateId) == 0) {
            retire(certificateId);
        }
    }

    private void succeed(long oldCertificate, long newCertificate) {
        try {
            if (newCertificate != 0) {
                store.supersede(oldCertificate, newCertificate, Locations.ACTOR);
                return;
            }
        } catch (CertificateStoreException e) {
            LOG.info("certificate " + oldCertificate + " not succeeded by " + newCertificate + " (" + e.getMessage()
                    + "); it retires instead");
        }
        retire(oldCertificate);
    }

    private void retire(long certificateId) {
        store.certificate(certificateId).filter(c -> c.role() == Role.MONITORED && !c.retired())
                .ifPresent(c -> store.setRetired(certificateId, true, Locations.ACTOR));
    }

    /** A certificate a location holds (again) is not retired. */
    private void takeBack(long certificateId) {
        Optional<CertificateInfo> c = store.certificate(certificateId);
        if (c.isPresent() && c.get().retired()) {
            store.setRetired(certificateId, false, Locations.ACTOR);
        }
    }
}
