package org.certwatch.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.DiscoveryRange;
import org.certwatch.api.source.Endpoint;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.testing.MemoryEndpoints;
import org.certwatch.testing.MemoryLeadership;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SelfSignedKeyStore;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discovery over loopback only: 127.0.0.1/30 with a JDK TLS server on an ephemeral port of 127.0.0.1 and a plain TCP
 * server that never speaks on another; the other three addresses answer nothing.
 */
class DiscoveryServiceTest {
    private static final Bounds BOUNDS = new Bounds(4096, 32, 500, 8, Duration.ofMillis(500), Duration.ofMillis(700),
            Duration.ofMinutes(5));
    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-05-01T10:00:00Z"));
    private final List<AuditEntry> audit = new CopyOnWriteArrayList<>();
    private MemoryEndpoints endpoints;
    private DiscoveryService discovery;
    private SSLServerSocket tls;
    private ServerSocket silent;
    private Thread tlsServer;

    @BeforeEach
    void start() throws Exception {
        KeyStore keys = SelfSignedKeyStore.p256(dir, "CN=found.example");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, SelfSignedKeyStore.PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        tls = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getByName("127.0.0.1"));
        tlsServer = new Thread(this::serve, "test-tls-server");
        tlsServer.start();
        silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        endpoints = new MemoryEndpoints(clock);
        discovery = new DiscoveryService(dir.resolve("discovery"), BOUNDS, endpoints, audit::add);
        discovery.bindClock(clock);
    }

    private void serve() {
        while (!tls.isClosed()) {
            try (SSLSocket s = (SSLSocket) tls.accept()) {
                s.startHandshake();
                try (InputStream in = s.getInputStream()) {
                    in.read();
                }
            } catch (IOException e) {
                // the client hung up after the handshake, or the server closed
            }
        }
    }

    @AfterEach
    void stop() throws Exception {
        discovery.stop();
        tls.close();
        silent.close();
        tlsServer.join(5000);
    }

    private DiscoveryRange range(boolean addFound, Duration every) {
        return new DiscoveryRange(null, "127.0.0.1/30", List.of(tls.getLocalPort(), silent.getLocalPort()),
                "All/Berlin", every, addFound, "loopback", null, null);
    }

    @Test
    void aScanListsTheTlsServerAsACandidateAndNeitherTheSilentPortNorTheEmptyAddresses() throws Exception {
        DiscoveryRange r = discovery.create(range(false, null), "root");
        long started = System.nanoTime();
        discovery.scan(r.id());
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<DiscoveredEndpoint> found = discovery.candidates();
        assertEquals(1, found.size(), found.toString());
        DiscoveredEndpoint c = found.get(0);
        assertEquals("127.0.0.1", c.host());
        assertEquals(tls.getLocalPort(), c.port());
        assertEquals("CN=found.example", c.subject());
        assertNotNull(c.notAfter());
        assertEquals(clock.instant(), discovery.range(r.id()).orElseThrow().lastRun());
        assertTrue(endpoints.endpoints().isEmpty(), "candidates wait for approval");
        // the silent port costs at most the handshake timeout, attempts run side by side
        assertTrue(millis < 5_000, millis + " ms for 8 attempts");
        System.out.println("discovery: 4 addresses x 2 ports scanned in " + millis + " ms");
        assertTrue(audit.stream().anyMatch(a -> a.action().equals("discovery.scan")
                && a.outcome().equals("ok: 1 TLS endpoints found, 1 new candidates")), audit.toString());

        // a second scan lists nothing twice
        discovery.scan(r.id());
        assertEquals(1, discovery.candidates().size());
        // approving makes it an endpoint of the range's group
        Endpoint e = discovery.approve("127.0.0.1", tls.getLocalPort(), "root");
        assertEquals("tls://127.0.0.1:" + tls.getLocalPort(), e.address());
        assertEquals("All/Berlin", e.homeGroup());
        assertTrue(discovery.candidates().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> discovery.approve("127.0.0.1", tls.getLocalPort(), "root"));
    }

    @Test
    void aDismissedCandidateIsNotListedAgainByItsRangeAndEverythingSurvivesARestart() throws Exception {
        DiscoveryRange r = discovery.create(range(false, null), "root");
        discovery.scan(r.id());
        discovery.dismiss("127.0.0.1", tls.getLocalPort(), "root");
        discovery.scan(r.id());
        assertTrue(discovery.candidates().isEmpty(), discovery.candidates().toString());
        DiscoveryRange other = discovery.create(range(false, null), "root");
        discovery.scan(other.id());
        assertEquals(1, discovery.candidates().size(), "dismissed per range");

        discovery.stop();
        discovery = new DiscoveryService(dir.resolve("discovery"), BOUNDS, endpoints, audit::add);
        discovery.bindClock(clock);
        assertEquals(2, discovery.ranges().size());
        assertEquals(1, discovery.candidates().size());
        discovery.scan(r.id());
        assertEquals(1, discovery.candidates().size(), "still dismissed after the restart");
        DiscoveryRange third = discovery.create(range(false, null), "root");
        assertEquals("3", third.id());
        discovery.delete(other.id(), "root");
        assertTrue(discovery.candidates().isEmpty(), "a deleted range takes its candidates along");
    }

    @Test
    void aRangeThatAddsFoundEndpointsAddsEachOnceAndScheduledRangesRunByTheClock() throws Exception {
        DiscoveryRange r = discovery.create(range(true, Duration.ofHours(1)), "root");
        discovery.runDue();
        assertFalse(discovery.running(r.id()), "not due before an hour passed");
        clock.advance(Duration.ofMinutes(61));
        discovery.runDue();
        assertTrue(discovery.running(r.id()) || !endpoints.endpoints().isEmpty(), "due after an hour");
        waitUntilIdle(r.id());
        assertEquals(1, endpoints.endpoints().size(), endpoints.endpoints().toString());
        assertEquals("found by discovery range " + r.id(), endpoints.endpoints().get(0).description());
        assertEquals(clock.instant(), discovery.range(r.id()).orElseThrow().lastRun());
        discovery.scan(r.id());
        assertEquals(1, endpoints.endpoints().size(), "an endpoint is added once");
        assertTrue(discovery.candidates().isEmpty());
    }

    @Test
    void onlyTheLeaderRunsScheduledScansBothServeTheSharedRanges() throws Exception {
        try (MemoryPersistence shared = new MemoryPersistence()) {
            MemoryLeadership leaseA = new MemoryLeadership("a", true);
            MemoryLeadership leaseB = new MemoryLeadership("b", false);
            DiscoveryService a = new DiscoveryService(new SharedDocument(shared.server("a"), "discovery", "book"),
                    leaseA, BOUNDS, endpoints, audit::add);
            DiscoveryService b = new DiscoveryService(new SharedDocument(shared.server("b"), "discovery", "book"),
                    leaseB, BOUNDS, endpoints, audit::add);
            a.bindClock(clock);
            b.bindClock(clock);
            a.start();
            b.start();
            try {
                DiscoveryRange r = b.create(range(true, Duration.ofHours(1)), "root"); // edited on the non-leader
                shared.settle();
                assertEquals(List.of(r.id()), a.ranges().stream().map(DiscoveryRange::id).toList());
                clock.advance(Duration.ofMinutes(61));
                b.runDue();
                assertFalse(b.running(r.id()), "B does not lead");
                a.runDue();
                assertTrue(a.running(r.id()) || !endpoints.endpoints().isEmpty(), "the leader scans");
                waitUntilIdle(a, r.id());
                assertEquals(1, endpoints.endpoints().size());
                shared.settle();
                assertEquals(clock.instant(), b.range(r.id()).orElseThrow().lastRun(), "B serves what A ran");
            } finally {
                a.stop();
                b.stop();
            }
        }
    }

    /** The scan runs on the discovery thread: this waits for its real work (bounded by timeouts), not for time. */
    private void waitUntilIdle(String id) throws InterruptedException {
        waitUntilIdle(discovery, id);
    }

    private static void waitUntilIdle(DiscoveryService service, String id) throws InterruptedException {
        for (int i = 0; i < 200 && service.running(id); i++) {
            Thread.sleep(50);
        }
        assertFalse(service.running(id));
    }

    @Test
    void rangesBeyondTheBoundsAreRefusedNamingTheBound() {
        String big = assertThrows(IllegalArgumentException.class, () -> discovery.create(new DiscoveryRange(null,
                "10.0.0.0/19", List.of(443), "All", null, false, "", null, null), "root")).getMessage();
        assertEquals("range 10.0.0.0/19 holds 8192 addresses; at most 4096 are scanned (max.addresses)", big);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> discovery.create(new DiscoveryRange(null,
                "10.0.0.0/30", List.of(0), "All", null, false, "", null, null), "root")).getMessage()
                .contains("port 0 is not 1-65535"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> discovery.create(new DiscoveryRange(null,
                "10.0.0.0/30", List.of(443), "All", Duration.ofMinutes(1), false, "", null, null), "root"))
                .getMessage().contains("shorter than the minimum PT5M"));
        assertTrue(discovery.ranges().isEmpty());
    }

    @Test
    void theRateBoundsHowFastAttemptsStart() throws Exception {
        Bounds slow = new Bounds(4096, 32, 20, 8, Duration.ofMillis(500), Duration.ofMillis(700),
                Duration.ofMinutes(5));
        DiscoveryService paced = new DiscoveryService(dir.resolve("paced"), slow, endpoints, audit::add);
        paced.bindClock(clock);
        try {
            DiscoveryRange r = paced.create(new DiscoveryRange(null, "127.0.0.1/30", List.of(tls.getLocalPort(),
                    silent.getLocalPort()), "All", null, false, "", null, null), "root");
            long started = System.nanoTime();
            paced.scan(r.id());
            long millis = (System.nanoTime() - started) / 1_000_000;
            // 8 attempts at 20/s: the last starts 350 ms after the first
            assertTrue(millis >= 340, millis + " ms");
            assertEquals(1, paced.candidates().size());
        } finally {
            paced.stop();
        }
    }

    @Test
    void rangesFollowTheRenamesOfTheirGroupOnceAndDurably() throws Exception {
        org.certwatch.commons.persistence.FileDocument file = new org.certwatch.commons.persistence.FileDocument(
                dir.resolve("renames.json"), false);
        DiscoveryBook book = DiscoveryBook.open(file);
        DiscoveryBook.StoredRange lab = book.add(new DiscoveryBook.StoredRange(null, "192.0.2.0/28", List.of(443),
                "All/Berlin/Lab", null, false, "", clock.instant().toString(), null));
        DiscoveryBook.StoredRange labs = book.add(new DiscoveryBook.StoredRange(null, "192.0.2.16/28", List.of(443),
                "All/Berlin/Labs", null, false, "", clock.instant().toString(), null));
        List<org.certwatch.api.fleet.GroupRename> renames = List.of(
                new org.certwatch.api.fleet.GroupRename(1, "All/Berlin/Lab", "All/Berlin/Lab-2", clock.instant()));
        assertTrue(book.followRenames(renames));
        assertFalse(book.followRenames(renames), "applied again: nothing moves");
        DiscoveryBook reopened = DiscoveryBook.open(file);
        assertEquals("All/Berlin/Lab-2", reopened.range(lab.id()).orElseThrow().homeGroup());
        assertEquals("All/Berlin/Labs", reopened.range(labs.id()).orElseThrow().homeGroup());
    }
}
