package org.certwatch.locations.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;

/**
 * What one check makes of a location: its state, consecutive failures and whether the failing spell is announced,
 * its findings and probe details, when it last changed (state, certificate or findings), and its history. Plain
 * values in, the location after out; the store is not its business.
 */
final class Checks {
    private volatile int failuresBeforeNotice;

    Checks(int failuresBeforeNotice) {
        failuresBeforeNotice(failuresBeforeNotice);
    }

    /** Taken by the next failed check (a configuration change needs no restart). */
    void failuresBeforeNotice(int failures) {
        failuresBeforeNotice = Math.max(1, failures);
    }

    /**
     * A successful check that found {@code certificateId} (and {@code chainIds}); {@code same} when that is what the
     * location held already, else it opens a history entry.
     */
    StoredLocation read(long id, StoredLocation old, LocationState previous, Observation o, String fingerprint,
            long certificateId, List<Long> chainIds, boolean same) {
        Location before = old == null ? null : old.location();
        List<LocationHistoryEntry> history = old == null ? List.of() : old.history();
        if (!same) {
            history = prepend(history, new LocationHistoryEntry(certificateId, fingerprint, o.at(), null), o.at());
        }
        boolean changed = previous != LocationState.OK || !same || !FindingSets.same(before.findings(), o.findings());
        Location l = new Location(id, o.location(), LocationState.OK, certificateId, chainIds, null, "", 0,
                before == null ? o.at() : before.firstSeen(), o.at(), changed ? o.at() : before.lastChange(),
                o.findings(), o.probe());
        return new StoredLocation(l, history, false, false);
    }

    /**
     * A failed check: the last certificate (and the last successful check's findings) kept, one more failure
     * counted, the spell announced once it is long enough.
     */
    StoredLocation failed(long id, StoredLocation old, LocationState previous, Observation o) {
        Location before = old == null ? null : old.location();
        int failures = (before == null ? 0 : before.consecutiveFailures()) + 1;
        boolean changed = previous != LocationState.FAILING || before.failure() != o.failure();
        Location l = new Location(id, o.location(), LocationState.FAILING,
                before == null ? 0 : before.certificateId(), before == null ? List.of() : before.chainIds(),
                o.failure(), o.reason(), failures, before == null ? o.at() : before.firstSeen(), o.at(),
                changed ? o.at() : before.lastChange(), before == null ? List.of() : before.findings(),
                before == null ? null : before.probe());
        boolean announced = (old != null && old.announced()) || failures >= failuresBeforeNotice;
        return new StoredLocation(l, old == null ? List.of() : old.history(), false, announced);
    }

    /** The location no longer exists: GONE, what it held closed at {@code at}. */
    static StoredLocation gone(StoredLocation s, Instant at) {
        return new StoredLocation(with(s.location(), LocationState.GONE, at), close(s.history(), at), false, false);
    }

    /** The location in another state since {@code at}, without a failure; the rest as it was. */
    static Location with(Location l, LocationState state, Instant at) {
        return new Location(l.id(), l.ref(), state, l.certificateId(), l.chainIds(), null, "",
                l.consecutiveFailures(), l.firstSeen(), l.lastCheck(), at, l.findings(), l.probe());
    }

    private static List<LocationHistoryEntry> prepend(List<LocationHistoryEntry> history, LocationHistoryEntry entry,
            Instant at) {
        List<LocationHistoryEntry> out = new ArrayList<>(history.size() + 1);
        out.add(entry);
        out.addAll(close(history, at));
        return out;
    }

    /** The history with its open head (what it holds now) closed at {@code at}. */
    private static List<LocationHistoryEntry> close(List<LocationHistoryEntry> history, Instant at) {
        if (history.isEmpty() || history.get(0).until() != null) {
            return history;
        }
        List<LocationHistoryEntry> out = new ArrayList<>(history);
        LocationHistoryEntry h = out.get(0);
        out.set(0, new LocationHistoryEntry(h.certificateId(), h.fingerprint(), h.from(), at));
        return out;
    }
}
