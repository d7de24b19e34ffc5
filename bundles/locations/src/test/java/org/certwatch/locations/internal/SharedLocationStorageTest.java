package org.certwatch.locations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two servers sharing the locations: one document per location, another server's saves reported as kept now. */
class SharedLocationStorageTest {
    private static final Instant T = Instant.parse("2026-06-01T10:00:00Z");
    final MemoryPersistence shared = new MemoryPersistence();
    final SharedLocationStorage a = new SharedLocationStorage(shared.server("a"));
    final SharedLocationStorage b = new SharedLocationStorage(shared.server("b"));

    @AfterEach
    void close() throws InterruptedException {
        shared.close();
    }

    private static StoredLocation location(long id, LocationState state) {
        return new StoredLocation(new Location(id, new LocationRef("files", LocationKind.FILE, "/l" + id, "All"),
                state, 0, List.of(), null, "", 0, T, T, T), List.of(), false, false);
    }

    @Test
    void savesOnOneServerAreReadAndHeardByTheOther() throws Exception {
        List<StoredLocation> heard = new CopyOnWriteArrayList<>();
        try (Subscription s = b.watch(heard::addAll)) {
            a.save(List.of(location(2, LocationState.OK), location(10, LocationState.OK)));
            a.save(List.of(location(2, LocationState.GONE)));
            shared.settle();
            assertEquals(List.of(location(2, LocationState.GONE), location(10, LocationState.OK)), b.load(),
                    "the last save of an id wins; id order");
            assertEquals(location(2, LocationState.GONE), heard.get(heard.size() - 1), "heard as kept now");
        }
    }
    @Test
    void anIdAnotherServerGaveMeanwhileIsRefusedNotOverwritten() throws Exception {
        a.save(List.of(location(1, LocationState.OK)));
        // B has not heard of it (a new leader right after a failover) and gives id 1 to another location
        StoredLocation other = new StoredLocation(new Location(1, new LocationRef("files", LocationKind.FILE, "/other",
                "All"), LocationState.OK, 0, List.of(), null, "", 0, T, T, T), List.of(), false, false);
        java.io.IOException refused = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> b.save(List.of(other)));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("location id 1 is /l1 already"),
                refused.getMessage());
        assertEquals(List.of(location(1, LocationState.OK)), b.load(), "A's location kept");
        b.save(List.of(location(1, LocationState.GONE))); // the same location again: no collision
        b.save(List.of(new StoredLocation(new Location(2, other.location().ref(), LocationState.OK, 0, List.of(), null,
                "", 0, T, T, T), List.of(), false, false)));
        assertEquals(2, a.load().size());
    }
}
