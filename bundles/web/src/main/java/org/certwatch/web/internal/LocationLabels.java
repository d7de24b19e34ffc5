package org.certwatch.web.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;

/**
 * One scrape's view of the watched locations for {@code /metrics}: where each certificate is held now (its
 * {@code source} and {@code location} labels, as x509-certificate-exporter labels a certificate with its file)
 * and how many visible locations cannot be read ({@code x509_read_errors}). Only locations that are watched (OK or
 * failing) hold a certificate here, so the series are bounded by certificates plus watched locations.
 */
final class LocationLabels {
    static final LocationLabels NONE = new LocationLabels(false, Map.of(), 0);

    private final boolean present;
    private final Map<Long, List<Location>> byCertificate;
    private final long failing;

    private LocationLabels(boolean present, Map<Long, List<Location>> byCertificate, long failing) {
        this.present = present;
        this.byCertificate = byCertificate;
        this.failing = failing;
    }

    static LocationLabels of(LocationRegistry registry, UserScope scope) {
        if (registry == null) {
            return NONE;
        }
        Map<Long, List<Location>> held = new HashMap<>();
        long failing = 0;
        for (Location l : registry.locations(LocationQuery.all())) {
            if (!scope.seesCertificatesOf(l.ref().homeGroup())) {
                continue;
            }
            if (l.state() == LocationState.FAILING) {
                failing++;
            }
            if (l.state() != LocationState.OK && l.state() != LocationState.FAILING) {
                continue; // gone or not watched: its certificate is held nowhere now
            }
            if (l.certificateId() != 0) {
                held.computeIfAbsent(l.certificateId(), k -> new ArrayList<>()).add(l);
            }
            for (long chain : l.chainIds()) {
                held.computeIfAbsent(chain, k -> new ArrayList<>()).add(l);
            }
        }
        return new LocationLabels(true, held, failing);
    }

    /** Whether a location registry answered (without one there are no location labels and no read errors). */
    boolean present() {
        return present;
    }

    /** The watched locations holding the certificate now, in id order; empty when none. */
    List<Location> holding(long certificateId) {
        return byCertificate.getOrDefault(certificateId, List.of());
    }

    long readErrors() {
        return failing;
    }
}
