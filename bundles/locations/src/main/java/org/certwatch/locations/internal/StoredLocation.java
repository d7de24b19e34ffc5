package org.certwatch.locations.internal;

import java.util.List;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;

/**
 * A location as kept: what the API shows, what it held (newest first, at most {@link #HISTORY} entries), whether
 * an admin stopped watching it and whether its failing spell was announced. The one object per location in memory.
 */
public record StoredLocation(Location location, List<LocationHistoryEntry> history, boolean stopped, boolean announced) {
    /** What a location's history keeps; older entries fall off (a certificate rotated daily keeps 2 months). */
    static final int HISTORY = 64;

    public StoredLocation {
        history = List.copyOf(history.size() > HISTORY ? history.subList(0, HISTORY) : history);
    }

    long id() {
        return location.id();
    }
}
