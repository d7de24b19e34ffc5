package org.certwatch.api.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Locations, their history and their status; sources report every check here. Changes are durable when a
 * method returns and announced on EventAdmin ({@code Topics.LOCATION_CHANGED}, and {@code LOCATION_FAILING} /
 * {@code LOCATION_RECOVERED} once per notifiable change of state).
 *
 * <p>Succession: when a check reads a different certificate than the location held, the new one (imported as
 * a monitored certificate of the location's group) becomes the old one's successor in the store and the old one
 * stops alarming — unless another location still holds it. A failing check keeps the last certificate and its
 * expiry status; after the configured number of consecutive failures the failure is notifiable.
 */
public interface LocationRegistry {
    /** Records one check; a check that changes nothing is not announced. Returns the location afterwards. */
    Location report(Observation observation);

    /**
     * Records many checks, in order, with the same effect and announcements as {@link #report} of each one; an
     * implementation may make them durable together (one store import and one write for the batch). Returns the
     * locations afterwards, in the observations' order.
     *
     * @since 1.1
     */
    default List<Location> reportAll(List<Observation> observations) {
        List<Location> out = new ArrayList<>(observations.size());
        for (Observation o : observations) {
            out.add(report(o));
        }
        return out;
    }

    /** The location no longer exists (a removed file): GONE; its certificate retires unless held elsewhere. */
    void gone(LocationRef location);

    /**
     * What the source still watches: every other location of {@code source} is GONE. Sources call it after a full
     * rescan, so locations missed by file-system events are settled.
     */
    void present(String source, java.util.Collection<String> addresses);

    Optional<Location> location(long id);

    Optional<Location> location(LocationRef ref);

    List<Location> locations(LocationQuery query);

    /** What the location held, newest first. */
    List<LocationHistoryEntry> history(long locationId);

    /**
     * Stops watching a location (audited): NOT_WATCHED, and its source's reports about it are ignored until
     * {@link #resumeWatching}; its certificate retires unless another location holds it.
     */
    Location stopWatching(long locationId, String actor);

    /** Takes a stopped location's reports again (audited); the next check sets its state. */
    Location resumeWatching(long locationId, String actor);

    /** The names of the sources deployed now. */
    List<String> sources();
}
