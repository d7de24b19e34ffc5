package org.certwatch.locations.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreSettings;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16: the registry's rules over the real store and file storage: succession, retirement, failures, restart. */
class LocationsTest {
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T00:00:00Z"));
    private final List<String> events = new CopyOnWriteArrayList<>();
    /** Topic, then the findings' kinds the event carries. */
    private final List<String> findingEvents = new CopyOnWriteArrayList<>();
    private FileAuditLog audit;
    private PkiStore store;
    private FileLocationStorage storage;
    private Locations locations;

    @BeforeEach
    void open() throws Exception {
        audit = new FileAuditLog(dir.resolve("audit/audit.log"));
        store = PkiStore.open(dir.resolve("store"), "correct horse battery staple".toCharArray(), clock, audit,
                (topic, p) -> { }, List::of, StoreSettings.defaults(), new BouncyCastleProvider());
        locations = restart();
    }

    @AfterEach
    void close() throws Exception {
        storage.close();
        store.close();
        audit.close();
    }

    private Locations restart() throws Exception {
        if (storage != null) {
            storage.close();
        }
        storage = new FileLocationStorage(dir.resolve("locations"));
        Locations l = new Locations(storage, store, clock, audit, (topic, p) -> {
            events.add(topic + " " + p.get("location.id") + " " + p.get("state"));
            findingEvents.add(topic + " " + String.join(",", (String[]) p.get("findings"))
                    + (p.containsKey("previous.findings") ? " was " + String.join(",", (String[]) p.get("previous.findings"))
                    + " " + String.join("|", (String[]) p.get("findings.text")) : ""));
        }, 3);
        l.load();
        l.sourceAdded("test");
        return l;
    }

    private byte[] der(String name) throws Exception {
        return OpensslCertificates.der(dir, name);
    }

    private static LocationRef ref(String address) {
        return new LocationRef("test", LocationKind.FILE, address, "/Berlin");
    }

    private Location read(String address, byte[]... chain) {
        clock.advance(Duration.ofMinutes(1));
        return locations.report(Observation.read(ref(address), clock.instant(), List.of(chain)));
    }

    private Location fail(String address) {
        clock.advance(Duration.ofMinutes(1));
        return locations.report(Observation.failed(ref(address), clock.instant(), LocationFailure.CORRUPT,
                address + ": not a certificate"));
    }

    private CertificateInfo cert(long id) {
        return store.certificate(id).orElseThrow();
    }

    @Test
    void aNewCertificateSucceedsTheOldOneUnlessHeldElsewhere() throws Exception {
        byte[] a = der("a");
        byte[] b = der("b");
        byte[] c = der("c");
        Location first = read("/etc/ssl/a.pem", a);
        assertEquals(LocationState.OK, first.state());
        CertificateInfo held = cert(first.certificateId());
        assertEquals(Role.MONITORED, held.role());
        assertEquals("/Berlin", held.homeGroup());
        assertEquals(List.of(Topics.LOCATION_CHANGED + " " + first.id() + " OK"), events);

        int size = store.size();
        read("/etc/ssl/a.pem", a);
        assertEquals(1, events.size(), "an unchanged check is not announced");
        assertEquals(size, store.size(), "nor imported again");

        Location second = read("/etc/ssl/a.pem", b);
        assertEquals(second.certificateId(), cert(first.certificateId()).successorId());
        assertEquals(2, locations.history(first.id()).size());
        assertEquals(first.certificateId(), locations.history(first.id()).get(1).certificateId());

        // b is also held at another location: replacing it at the first one neither succeeds nor retires it
        Location other = read("/srv/b.pem", b);
        assertNotEquals(first.id(), other.id());
        Location third = read("/etc/ssl/a.pem", c);
        assertEquals(0, cert(second.certificateId()).successorId());
        assertFalse(cert(second.certificateId()).retired());

        locations.gone(ref("/srv/b.pem"));
        assertEquals(LocationState.GONE, locations.location(other.id()).orElseThrow().state());
        assertTrue(cert(second.certificateId()).retired(), "no location holds b any more");
        assertFalse(cert(third.certificateId()).retired());

        // b comes back: taken back from retirement
        read("/srv/b.pem", b);
        assertFalse(cert(second.certificateId()).retired());
    }

    private Location read(String address, List<Finding> findings, byte[] leaf) {
        clock.advance(Duration.ofMinutes(1));
        EndpointProbe probe = new EndpointProbe("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
                Duration.ofMillis(clock.instant().getEpochSecond() % 1000), "192.0.2.7:443", false);
        return locations.report(Observation.read(ref(address), clock.instant(), List.of(leaf), findings, probe));
    }

    @Test
    void findingsAreKeptAndAFindingThatAppearsOrClearsIsAnnouncedOnce() throws Exception {
        byte[] a = der("a");
        Finding weak = new Finding(FindingKind.WEAK_KEY, 0, "RSA 1024 bits");
        Finding expiring = new Finding(FindingKind.CHAIN_CERTIFICATE_EXPIRING, 1, "CN=R3 expires in 9 days");
        Location first = read("mail:587", List.of(weak), a);
        assertEquals(List.of(weak), first.findings());
        assertEquals("192.0.2.7:443", first.probe().peerAddress());
        assertEquals(List.of(Topics.LOCATION_CHANGED + " WEAK_KEY", Topics.LOCATION_FINDINGS + " WEAK_KEY was  "
                + "RSA 1024 bits"), findingEvents);

        findingEvents.clear();
        Location again = read("mail:587", List.of(weak), a);
        assertEquals(List.of(), findingEvents, "the same findings (another probe duration) are no change");
        assertEquals(first.lastChange(), again.lastChange());
        assertNotEquals(first.probe(), again.probe(), "the last check's probe is kept");

        Location more = read("mail:587", List.of(expiring, weak), a);
        assertEquals(List.of(Topics.LOCATION_CHANGED + " CHAIN_CERTIFICATE_EXPIRING,WEAK_KEY",
                Topics.LOCATION_FINDINGS + " CHAIN_CERTIFICATE_EXPIRING,WEAK_KEY was WEAK_KEY CN=R3 expires in 9 days|"
                        + "RSA 1024 bits"), findingEvents);
        assertEquals(clock.instant(), more.lastChange());

        findingEvents.clear();
        read("mail:587", List.of(weak, new Finding(FindingKind.CHAIN_CERTIFICATE_EXPIRING, 1,
                "CN=R3 expires in 8 days")), a);
        assertEquals(List.of(Topics.LOCATION_CHANGED + " WEAK_KEY,CHAIN_CERTIFICATE_EXPIRING"), findingEvents,
                "a text counting down is a change, not a finding appearing");

        findingEvents.clear();
        fail("mail:587");
        assertEquals(2, locations.location(first.id()).orElseThrow().findings().size(),
                "a failed check keeps the last successful check's findings");
        assertEquals(List.of(Topics.LOCATION_CHANGED + " WEAK_KEY,CHAIN_CERTIFICATE_EXPIRING"), findingEvents);

        locations = restart();
        Location restarted = locations.location(first.id()).orElseThrow();
        assertEquals(2, restarted.findings().size(), "kept across a restart");
        assertEquals("TLSv1.2", restarted.probe().protocol());

        findingEvents.clear();
        read("mail:587", List.of(), a);
        assertEquals(List.of(Topics.LOCATION_CHANGED + " ", Topics.LOCATION_FINDINGS
                + "  was WEAK_KEY,CHAIN_CERTIFICATE_EXPIRING "), findingEvents, "all cleared: once");
        assertEquals(List.of(), locations.location(first.id()).orElseThrow().findings());
    }

    @Test
    void failuresAreAnnouncedOncePerSpellAndTheCertificateKept() throws Exception {
        byte[] a = der("a");
        long id = read("/etc/a.pem", a).id();
        events.clear();
        fail("/etc/a.pem");
        Location twice = fail("/etc/a.pem");
        assertEquals(LocationState.FAILING, twice.state());
        assertEquals(2, twice.consecutiveFailures());
        assertEquals(LocationFailure.CORRUPT, twice.failure());
        assertEquals(List.of(Topics.LOCATION_CHANGED + " " + id + " FAILING",
                Topics.LOCATION_CHANGED + " " + id + " FAILING"), events, "each failed check counts, so each is a change");
        fail("/etc/a.pem");
        fail("/etc/a.pem");
        assertEquals(1, events.stream().filter(e -> e.startsWith(Topics.LOCATION_FAILING)).count());
        assertTrue(locations.location(id).orElseThrow().certificateId() != 0, "the last certificate is kept");
        read("/etc/a.pem", a);
        assertEquals(1, events.stream().filter(e -> e.startsWith(Topics.LOCATION_RECOVERED)).count());
        assertEquals(0, locations.location(id).orElseThrow().consecutiveFailures());

        locations.failuresBeforeNotice(1);
        fail("/etc/a.pem");
        assertEquals(2, events.stream().filter(e -> e.startsWith(Topics.LOCATION_FAILING)).count());
    }

    @Test
    void unwatchedLocationsKeepTheirCertificateAndEverythingSurvivesARestart() throws Exception {
        byte[] a = der("a");
        byte[] b = der("b");
        Location l = read("/etc/a.pem", a);
        Location m = read("/etc/b.pem", b);
        locations.sourceGone("test");
        Location unwatched = locations.location(l.id()).orElseThrow();
        assertEquals(LocationState.NOT_WATCHED, unwatched.state());
        assertEquals(l.certificateId(), unwatched.certificateId());
        assertFalse(cert(l.certificateId()).retired());
        assertEquals(List.of(), locations.sources());
        locations.sourceAdded("test");
        assertEquals(LocationState.NOT_WATCHED, locations.location(l.id()).orElseThrow().state(),
                "back to its state at the next report");
        assertEquals(LocationState.OK, read("/etc/a.pem", a).state());

        locations.stopWatching(m.id(), "alice");
        assertTrue(cert(m.certificateId()).retired());
        assertEquals(LocationState.NOT_WATCHED, read("/etc/b.pem", b).state(), "reports are ignored while stopped");
        locations.resumeWatching(m.id(), "alice");
        assertEquals(LocationState.OK, read("/etc/b.pem", b).state());
        assertFalse(cert(m.certificateId()).retired());
        String log = Files.readString(dir.resolve("audit/audit.log"));
        assertTrue(log.contains("location.stop-watching") && log.contains("location.resume-watching"), log);

        fail("/etc/a.pem");
        locations = restart();
        Location again = locations.location(l.id()).orElseThrow();
        assertEquals(LocationState.FAILING, again.state());
        assertEquals(1, again.consecutiveFailures());
        assertEquals(l.certificateId(), again.certificateId());
        assertEquals(1, locations.history(l.id()).size());
        assertEquals(2, locations.locations(LocationQuery.all()).size());
        assertEquals(1, locations.locations(new LocationQuery(List.of("/Berlin"), "test", LocationState.FAILING, 0,
                0, 0)).size());
        assertEquals(0, locations.locations(new LocationQuery(List.of("/Paris"), null, null, 0, 0, 0)).size());
        Location fresh = read("/etc/c.pem", der("c"));
        assertTrue(fresh.id() > m.id(), "ids are never reused: " + fresh.id());
    }

    @Test
    void bytesTheStoreRefusesMakeACorruptLocationAndNothingElse() throws Exception {
        int size = store.size();
        Location l = read("/etc/garbage.pem", new byte[] {0x30, 0x03, 0x02, 0x01});
        assertEquals(LocationState.FAILING, l.state());
        assertEquals(LocationFailure.CORRUPT, l.failure());
        assertTrue(l.reason().startsWith("/etc/garbage.pem: "), l.reason());
        assertEquals(size, store.size());
    }

    @Test
    void aTornLastLineIsDropped() throws Exception {
        Location l = read("/etc/a.pem", der("a"));
        storage.close();
        Path file = dir.resolve("locations/locations.log");
        Files.writeString(file, "{\"id\":7,\"sou", java.nio.file.StandardOpenOption.APPEND);
        locations = restart();
        assertEquals(List.of(l.id()), locations.locations(LocationQuery.all()).stream().map(Location::id).toList());
        assertEquals(new ArrayList<>(List.of(l.id())).size(), Files.readAllLines(file).size(), "compacted on load");
    }

    @Test
    void locationsFollowTheRenamesOfTheirGroupOnceAndAcrossARestart() throws Exception {
        byte[] a = der("a");
        Location berlin = read("/etc/ssl/a.pem", a);
        clock.advance(Duration.ofMinutes(1));
        Location elsewhere = locations.report(Observation.read(new LocationRef("test", LocationKind.FILE, "/srv/x.pem",
                "All/Berlin-2"), clock.instant(), List.of(der("b"))));
        List<org.certwatch.api.fleet.GroupRename> renames = List.of(
                new org.certwatch.api.fleet.GroupRename(1, "/Berlin", "/Potsdam", clock.instant()),
                new org.certwatch.api.fleet.GroupRename(2, "/Potsdam", "/Brandenburg", clock.instant()));
        assertEquals(1, locations.followRenames(renames));
        assertEquals(0, locations.followRenames(renames), "applied again: nothing moves");
        assertEquals("/Brandenburg", locations.location(berlin.id()).orElseThrow().ref().homeGroup());
        assertEquals("All/Berlin-2", locations.location(elsewhere.id()).orElseThrow().ref().homeGroup());
        assertEquals(LocationState.OK, locations.location(berlin.id()).orElseThrow().state());
        locations = restart();
        assertEquals("/Brandenburg", locations.location(berlin.id()).orElseThrow().ref().homeGroup(), "stored so");
    }
}
