package org.certwatch.testing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;

/**
 * A location registry in memory for unit tests of its consumers (pages, MIB, metrics): it keeps what
 * {@link #put} or {@link #report} gives it (findings and probe details too). Reports do not touch a store;
 * {@link #put} sets the certificate ids.
 */
public final class MemoryLocationRegistry implements LocationRegistry {
    private final Map<Long, Location> locations = new ConcurrentSkipListMap<>();
    private final Map<Long, List<LocationHistoryEntry>> histories = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final List<String> sources = new ArrayList<>();
    private final Clock clock;

    public MemoryLocationRegistry(Clock clock) {
        this.clock = clock;
    }

    /** Adds or replaces a location as given (a new id when {@code location.id()} is 0); returns it. */
    public Location put(Location location) {
        long id = location.id() == 0 ? ids.incrementAndGet() : location.id();
        Location stored = new Location(id, location.ref(), location.state(), location.certificateId(),
                location.chainIds(), location.failure(), location.reason(), location.consecutiveFailures(),
                location.firstSeen(), location.lastCheck(), location.lastChange(), location.findings(),
                location.probe());
        locations.put(id, stored);
        return stored;
    }

    public void putHistory(long locationId, List<LocationHistoryEntry> history) {
        histories.put(locationId, List.copyOf(history));
    }

    public synchronized void addSource(String name) {
        sources.add(name);
    }

    @Override
    public Location report(Observation o) {
        Location old = location(o.location()).orElse(null);
        long id = old == null ? 0 : old.id();
        if (o.succeeded()) {
            return put(new Location(id, o.location(), LocationState.OK, old == null ? 0 : old.certificateId(),
                    List.of(), null, "", 0, old == null ? o.at() : old.firstSeen(), o.at(), o.at(), o.findings(),
                    o.probe()));
        }
        // as the registry: a failed check keeps the last successful one's findings and probe
        return put(new Location(id, o.location(), LocationState.FAILING, old == null ? 0 : old.certificateId(),
                old == null ? List.of() : old.chainIds(), o.failure(), o.reason(),
                old == null ? 1 : old.consecutiveFailures() + 1, old == null ? o.at() : old.firstSeen(), o.at(),
                o.at(), old == null ? List.of() : old.findings(), old == null ? null : old.probe()));
    }

    @Override
    public void gone(LocationRef ref) {
        location(ref).ifPresent(l -> put(withState(l, LocationState.GONE)));
    }

    @Override
    public void present(String source, Collection<String> addresses) {
        for (Location l : List.copyOf(locations.values())) {
            if (l.ref().source().equals(source) && !addresses.contains(l.ref().address())) {
                put(withState(l, LocationState.GONE));
            }
        }
    }

    @Override
    public Optional<Location> location(long id) {
        return Optional.ofNullable(locations.get(id));
    }

    @Override
    public Optional<Location> location(LocationRef ref) {
        return locations.values().stream().filter(l -> l.ref().source().equals(ref.source())
                && l.ref().address().equals(ref.address())).findFirst();
    }

    @Override
    public List<Location> locations(LocationQuery q) {
        return locations.values().stream()
                .filter(l -> q.groups().isEmpty()
                        || q.groups().stream().anyMatch(g -> GroupPaths.contains(g, l.ref().homeGroup())))
                .filter(l -> q.source() == null || q.source().equals(l.ref().source()))
                .filter(l -> q.state() == null || q.state() == l.state())
                .filter(l -> q.certificateId() == 0 || q.certificateId() == l.certificateId())
                .skip(q.offset())
                .limit(q.limit() == 0 ? Long.MAX_VALUE : q.limit())
                .toList();
    }

    @Override
    public List<LocationHistoryEntry> history(long locationId) {
        return histories.getOrDefault(locationId, List.of());
    }

    @Override
    public Location stopWatching(long locationId, String actor) {
        return put(withState(location(locationId).orElseThrow(), LocationState.NOT_WATCHED));
    }

    @Override
    public Location resumeWatching(long locationId, String actor) {
        return put(withState(location(locationId).orElseThrow(), LocationState.OK));
    }

    @Override
    public synchronized List<String> sources() {
        return List.copyOf(sources);
    }

    private Location withState(Location l, LocationState state) {
        return new Location(l.id(), l.ref(), state, l.certificateId(), l.chainIds(), null, "", 0, l.firstSeen(),
                l.lastCheck(), clock.instant(), l.findings(), l.probe());
    }
}
