package org.certwatch.locations.internal;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;

/**
 * The locations' part of a migration: every location as {@link LocationLine} writes it, read from
 * {@code locations/locations.log} (the last line of an id wins, a torn line is left out, as the storage reads it;
 * without the compaction its load would do to the source) or through {@link SharedLocationStorage}, and written
 * through {@link FileLocationStorage} or {@link SharedLocationStorage}.
 */
public final class LocationsCopy implements StateCopy {
    @Override
    public String part() {
        return "locations";
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        List<byte[]> lines = new ArrayList<>();
        for (StoredLocation l : read(side)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            LocationLine.write(l, out);
            lines.add(out.toByteArray());
        }
        return List.of(Tally.of("locations", lines));
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        List<StoredLocation> all = read(from);
        if (all.isEmpty()) {
            return;
        }
        if (to.files()) {
            FileLocationStorage storage = new FileLocationStorage(folder(to));
            try {
                storage.load();
                storage.save(all);
            } finally {
                storage.close();
            }
        } else {
            new SharedLocationStorage(to.persistence()).save(all);
        }
    }

    private static Path folder(StateSide side) {
        return side.data().resolve("locations");
    }

    private static List<StoredLocation> read(StateSide side) throws IOException {
        if (!side.files()) {
            return new SharedLocationStorage(side.persistence()).load();
        }
        Path file = folder(side).resolve("locations.log");
        Map<Long, StoredLocation> byId = new LinkedHashMap<>();
        if (Files.exists(file)) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line; (line = reader.readLine()) != null; ) {
                    try {
                        StoredLocation l = LocationLine.read(line);
                        byId.put(l.id(), l);
                    } catch (IOException | RuntimeException torn) {
                        // as FileLocationStorage.load: a write torn by a crash, never confirmed
                    }
                }
            }
        }
        return new ArrayList<>(byId.values());
    }
}
