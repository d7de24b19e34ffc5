package org.certwatch.locations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreSettings;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: {@code reportAll} does what one {@code report} per observation does, with one import and one save. */
class BatchReportTest {
    private static final Instant START = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path dir;

    /** One registry over its own store and files; counts the durable saves of locations. */
    private final class World implements AutoCloseable {
        final SettableClock clock = new SettableClock(START);
        final Path home;
        final List<String> events = new ArrayList<>();
        final FileAuditLog audit;
        final PkiStore store;
        final FileLocationStorage files;
        final Locations locations;
        int saves;

        World(String name) throws IOException {
            home = dir.resolve(name);
            audit = new FileAuditLog(home.resolve("audit/audit.log"));
            store = PkiStore.open(home.resolve("store"), "correct horse battery staple".toCharArray(), clock, audit,
                    (topic, p) -> { }, List::of, StoreSettings.defaults(), new BouncyCastleProvider());
            files = new FileLocationStorage(home.resolve("locations"));
            LocationStorage counted = new LocationStorage() {
                @Override
                public List<StoredLocation> load() throws IOException {
                    return files.load();
                }

                @Override
                public void save(Collection<StoredLocation> locations) throws IOException {
                    saves++;
                    files.save(locations);
                }

                @Override
                public String name() {
                    return files.name();
                }
            };
            locations = new Locations(counted, store, clock, audit, (topic, p) -> events.add(topic + " "
                    + p.get("location.id") + " " + p.get("state") + " " + p.get("certificate.id")), 2);
            locations.load();
            locations.sourceAdded("test");
        }

        /** The store's imports so far (each one is audited). */
        long imports() throws IOException {
            return Files.readAllLines(home.resolve("audit/audit.log")).stream()
                    .filter(l -> l.contains("certificate.import")).count();
        }

        /** Everything the two ways must agree on: locations, histories and the store's certificates. */
        String state() {
            StringBuilder out = new StringBuilder();
            for (Location l : locations.locations(LocationQuery.all())) {
                out.append(l).append('\n').append(locations.history(l.id())).append('\n');
            }
            store.certificates(CertificateQuery.all()).forEach(c -> out.append(c.id())
                    .append(' ').append(c.fingerprint()).append(' ').append(c.homeGroup()).append(" successor ")
                    .append(c.successorId()).append(" predecessor ").append(c.predecessorId()).append(" retired ")
                    .append(c.retired()).append('\n'));
            return out.toString();
        }

        @Override
        public void close() throws IOException {
            files.close();
            store.close();
            audit.close();
        }
    }

    @Test
    void aBatchGivesWhatOneReportEachGivesWithOneImportAndOneSave() throws Exception {
        byte[] a = der("a");
        byte[] b = der("b");
        byte[] c = der("c");
        byte[] d = der("d");
        byte[] e = der("e");
        byte[] x = der("x");
        byte[] garbage = {0x30, 0x03, 0x02, 0x01};
        List<Observation> before = List.of(read("/a", "/Berlin", a), read("/b", "/Berlin", b),
                failed("/f"), read("/s", "/Berlin", e), read("/shared", "/Berlin", a));
        List<Observation> batch = List.of(
                read("/a", "/Berlin", c), // a is held at /shared too: no succession
                read("/shared", "/Berlin", b), // now b is held twice, a nowhere: retired
                read("/new1", "/Berlin", d, x),
                read("/new2", "/Paris", e, x), // x is known by then: it stays in /Berlin
                read("/b", "/Berlin", b), // unchanged: not announced
                failed("/f"), // the second failure: FAILING announced
                failed("/new3"),
                read("/garbage", "/Berlin", garbage), // refused by the store: CORRUPT, the rest imports
                read("/a", "/Berlin", c), // twice in one batch
                read("/s", "/Berlin", a)); // stopped: ignored

        try (World one = new World("one"); World batched = new World("batch")) {
            for (World w : List.of(one, batched)) {
                before.forEach(w.locations::report);
                w.locations.stopWatching(w.locations.location(ref("/s", "/Berlin")).orElseThrow().id(), "alice");
                w.events.clear();
                w.saves = 0;
            }
            long importsBefore = batched.imports();
            List<Location> oneByOne = batch.stream().map(one.locations::report).toList();
            List<Location> together = batched.locations.reportAll(batch);

            assertEquals(oneByOne, together);
            assertEquals(one.events, batched.events);
            assertEquals(one.state(), batched.state());
            assertTrue(one.events.contains("org/certwatch/location/FAILING "
                    + together.get(5).id() + " FAILING 0"), one.events.toString());
            assertEquals(LocationState.FAILING, together.get(7).state());
            assertEquals(LocationFailure.CORRUPT, together.get(7).failure());
            assertEquals(LocationState.NOT_WATCHED, together.get(9).state());

            assertEquals(1, batched.saves, "one durable write of the batch's locations");
            assertEquals(batch.size() - 1, one.saves);
            // runs of one group in first-seen order: c b d x (/Berlin), e (/Paris), the garbage (/Berlin, refused
            // and so tried again alone, refused again: only its location fails)
            assertEquals(4, batched.imports() - importsBefore);
        }
    }

    @Test
    void aBatchOfNewLocationsIsOneImportPerGroupRun() throws Exception {
        List<byte[]> certificates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            certificates.add(der("n" + i));
        }
        Function<Integer, Observation> at = i -> read("/n" + i, i < 4 ? "/Berlin" : "/Paris", certificates.get(i));
        List<Observation> batch = List.of(at.apply(0), at.apply(1), at.apply(2), at.apply(3), at.apply(4),
                at.apply(5));
        try (World one = new World("one"); World batched = new World("batch")) {
            long importsBefore = batched.imports();
            batch.forEach(one.locations::report);
            batched.locations.reportAll(batch);
            assertEquals(one.events, batched.events);
            assertEquals(one.state(), batched.state());
            assertEquals(2, batched.imports() - importsBefore);
            assertEquals(1, batched.saves);
        }
    }

    private static LocationRef ref(String address, String group) {
        return new LocationRef("test", LocationKind.FILE, address, group);
    }

    private static Observation read(String address, String group, byte[]... chain) {
        return Observation.read(ref(address, group), START.plusSeconds(60), List.of(chain));
    }

    private static Observation failed(String address) {
        return Observation.failed(ref(address, "/Berlin"), START.plusSeconds(60), LocationFailure.UNREADABLE,
                address + ": permission denied");
    }

    private byte[] der(String name) throws Exception {
        return OpensslCertificates.der(dir, name);
    }
}
