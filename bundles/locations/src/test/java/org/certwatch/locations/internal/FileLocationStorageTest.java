package org.certwatch.locations.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLocationStorageTest {
    private static final Instant T = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    private static StoredLocation location(long id, LocationState state) {
        return new StoredLocation(new Location(id, new LocationRef("files", LocationKind.FILE, "/l" + id, "All"),
                state, 0, List.of(), null, "", 0, T, T, T), List.of(), false, false);
    }

    private Object inode(Path file) throws Exception {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    @Test
    void aStartRewritesTheFileOnlyWhenItHoldsMoreLinesThanLocations() throws Exception {
        Path file = dir.resolve("locations/locations.log");
        FileLocationStorage storage = new FileLocationStorage(dir.resolve("locations"));
        storage.load();
        storage.save(List.of(location(1, LocationState.OK), location(2, LocationState.OK)));
        storage.save(List.of(location(1, LocationState.GONE)));
        storage.close();
        assertEquals(3, Files.readAllLines(file).size());

        Object before = inode(file);
        List<StoredLocation> loaded = storage.load();
        storage.close();
        assertEquals(List.of(location(1, LocationState.GONE), location(2, LocationState.OK)), loaded);
        assertEquals(2, Files.readAllLines(file).size(), "one line per location");
        Object compacted = inode(file);
        assertNotEquals(before, compacted, "replaced through a temporary sibling");

        assertEquals(loaded, storage.load());
        storage.close();
        assertEquals(compacted, inode(file), "a compact file is left as it is");
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList(), "no temporary sibling left");
        }
    }

    @Test
    void anInterruptedLoadStopsAndLeavesTheFileAsItWas() throws Exception {
        Path file = dir.resolve("locations/locations.log");
        FileLocationStorage storage = new FileLocationStorage(dir.resolve("locations"));
        storage.load();
        List<StoredLocation> many = new java.util.ArrayList<>();
        for (long id = 1; id <= 10_000; id++) {
            many.add(location(id, LocationState.OK));
        }
        storage.save(many);
        storage.close();
        byte[] before = Files.readAllBytes(file);

        Thread.currentThread().interrupt();
        try {
            assertThrows(java.io.IOException.class, storage::load, "a stop during the start");
        } finally {
            Thread.interrupted();
        }
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(many, storage.load(), "the next start has everything");
        storage.close();
    }
}
