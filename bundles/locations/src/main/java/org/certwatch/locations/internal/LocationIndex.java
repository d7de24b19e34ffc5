package org.certwatch.locations.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;

/**
 * The locations in memory: by id, by name within their source, and how many hold each certificate (one that drops
 * to none retires). Not thread-safe: {@link Locations} calls it under its lock.
 */
final class LocationIndex {
    /** A location's name within its source; shares the ref's strings. */
    private record Key(String source, String address) {
        static Key of(LocationRef ref) {
            return new Key(ref.source(), ref.address());
        }
    }

    private final Map<Long, StoredLocation> byId = new TreeMap<>();
    private final Map<Key, Long> byKey = new HashMap<>();
    private final Map<Long, Integer> holders = new HashMap<>();
    private long lastId;

    /** Keeps the location as it is now, in place of what the index had under its id. */
    void put(StoredLocation s) {
        StoredLocation old = byId.put(s.id(), s);
        if (old != null && holds(old)) {
            release(old.location().certificateId());
        }
        if (old == null || !old.location().ref().address().equals(s.location().ref().address())) {
            byKey.put(Key.of(s.location().ref()), s.id());
        }
        if (holds(s)) {
            holders.merge(s.location().certificateId(), 1, Integer::sum);
        }
        lastId = Math.max(lastId, s.id());
    }

    /** Drops a location that was new (its save failed); {@code lastId} is what it was before. */
    void remove(StoredLocation s, long lastIdBefore) {
        byId.remove(s.id());
        byKey.remove(Key.of(s.location().ref()));
        if (holds(s)) {
            release(s.location().certificateId());
        }
        lastId = lastIdBefore;
    }

    StoredLocation get(long id) {
        return byId.get(id);
    }

    Optional<StoredLocation> find(LocationRef ref) {
        Long id = byKey.get(Key.of(ref));
        return id == null ? Optional.empty() : Optional.of(byId.get(id));
    }

    /** Every location, by id. */
    Collection<StoredLocation> all() {
        return Collections.unmodifiableCollection(byId.values());
    }

    int size() {
        return byId.size();
    }

    /** The highest id given; ids are never reused. */
    long lastId() {
        return lastId;
    }

    /** How many locations hold the certificate now. */
    int holders(long certificateId) {
        return holders.getOrDefault(certificateId, 0);
    }

    /** Whether the location still holds its certificate (gone and stopped ones do not). */
    static boolean holds(StoredLocation s) {
        return !s.stopped() && s.location().state() != LocationState.GONE && s.location().certificateId() != 0;
    }

    private void release(long certificateId) {
        holders.computeIfPresent(certificateId, (k, n) -> n == 1 ? null : n - 1);
    }
}
