package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.Permission;
import org.certwatch.fleet.internal.storage.ComputerRow;
import org.certwatch.fleet.internal.storage.ComputersRecord;
import org.certwatch.fleet.internal.storage.DirectoryRecord;
import org.certwatch.fleet.internal.storage.FleetStorage;
import org.certwatch.fleet.internal.storage.RolloverRecord;
import org.certwatch.fleet.internal.storage.RolloversRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet keeps nothing outside {@link FleetStorage}: on a second backend (here one that holds the
 * records in memory) the same components keep groups, users and computers across a restart, ids are
 * never reused and the gates refuse as they do on files.
 */
class StorageSeamTest {
    @TempDir
    Path data;

    @Test
    void anotherBackendCarriesTheFleetAcrossARestart() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            MemoryStorage storage = new MemoryStorage();
            Fleet first = new Fleet(storage, h.store, h.audit, h.clock, null, "first-password".toCharArray());
            first.createGroup("All/Oslo", "", "test");
            first.createUser("olga", "All/Oslo", EnumSet.of(Permission.CERTIFICATES_READ), "olga-password".toCharArray(),
                    "test");
            Computer pc = first.addComputer("pc-oslo", "All/Oslo", "test");
            first.createEnrolmentToken("All/Oslo", Duration.ofHours(1), 1, "test");

            Fleet again = new Fleet(storage, h.store, h.audit, h.clock, null, "other-password".toCharArray());
            assertTrue(again.authenticate("admin", "first-password".toCharArray()).isPresent(), "admin made once");
            assertTrue(again.authenticate("olga", "olga-password".toCharArray()).isPresent());
            assertEquals("All/Oslo", again.computerByName("pc-oslo").orElseThrow().group());
            assertTrue(again.addComputer("pc-2", "All/Oslo", "test").id() > pc.id(), "ids are never reused");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> again.deleteGroup("All/Oslo", "test"));
            assertTrue(refused.getMessage().contains("user olga"), refused.getMessage());
            assertEquals(1, storage.directory.tokens().size());
        }
    }

    /** Holds the last record written, as a database would. */
    private static final class MemoryStorage implements FleetStorage {
        DirectoryRecord directory;
        final Map<Long, ComputerRow> computers = new TreeMap<>();
        RolloversRecord rollovers = new RolloversRecord(1, Map.of());

        @Override
        public Optional<DirectoryRecord> readDirectory() {
            return Optional.ofNullable(directory);
        }

        @Override
        public Optional<ComputersRecord> readComputers() {
            return computers.isEmpty() ? Optional.empty()
                    : Optional.of(new ComputersRecord(1, List.copyOf(computers.values())));
        }

        @Override
        public void writeDirectory(DirectoryRecord d) {
            directory = d;
        }

        @Override
        public void computersChanged(List<ComputerRow> rows) {
            rows.forEach(r -> computers.put(r.id(), r));
        }

        @Override
        public RolloversRecord readRollovers() {
            return rollovers;
        }

        @Override
        public void writeRollovers(long nextId, Collection<RolloverRecord> all) {
            Map<Long, RolloverRecord> byId = new TreeMap<>();
            all.forEach(r -> byId.put(r.id, r));
            rollovers = new RolloversRecord(nextId, byId);
        }

        @Override
        public String rolloversLocation() {
            return "memory";
        }
    }
}
