package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.fleet.internal.endpoint.AgentMessages;
import org.certwatch.fleet.internal.endpoint.Replication;
import org.certwatch.fleet.internal.rollover.Rollovers;
import org.certwatch.fleet.internal.storage.SharedFleetStorage;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Two servers sharing one backend ({@link MemoryPersistence}, two {@code server(…)} views), each with the
 * fleet's components on {@link SharedFleetStorage}: what one changes the other serves after the watch
 * (with the events a change of its own posts), and the gates hold as on one server.
 */
class SharedStorageTest {
    @TempDir
    Path data;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** One server: its fleet and the topics it posted. */
    private record Server(Fleet fleet, List<String> events) {
    }

    private static Server server(FleetHarness h, MemoryPersistence backend, String id, String adminPassword)
            throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        EventAdmin admin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event.getTopic() + (event.getProperty("change") == null ? "" : " " + event.getProperty("change")));
            }

            @Override
            public void sendEvent(Event event) {
                postEvent(event);
            }
        };
        Fleet fleet = new Fleet(new SharedFleetStorage(backend.server(id)), h.store, h.audit, h.clock, admin,
                adminPassword.toCharArray());
        return new Server(fleet, events);
    }

    @Test
    void aUserCreatedOnOneServerLogsInOnTheOtherAndTheAdminIsMadeOnce() throws Exception {
        try (FleetHarness h = new FleetHarness(data); MemoryPersistence backend = new MemoryPersistence()) {
            Server a = server(h, backend, "a", "password-of-a");
            Server b = server(h, backend, "b", "password-of-b");
            assertTrue(b.fleet().authenticate("admin", "password-of-a".toCharArray()).isPresent(), "one admin, made by a");
            assertTrue(b.fleet().authenticate("admin", "password-of-b".toCharArray()).isEmpty());

            a.fleet().createGroup("All/Oslo", "", "alice");
            a.fleet().createUser("olga", "All/Oslo", EnumSet.of(Permission.CERTIFICATES_READ),
                    "olga-password".toCharArray(), "alice");
            backend.settle();
            assertTrue(b.fleet().authenticate("olga", "olga-password".toCharArray()).isPresent());
            assertTrue(b.events().contains(Topics.GROUP_CHANGED + " CREATED"), b.events().toString());

            // a gate checks what the other server stored: no second olga, no deleting her home group
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> b.fleet().createUser("olga", "All", Set.of(), "x-password".toCharArray(), "bob"));
            assertTrue(twice.getMessage().contains("exists already"), twice.getMessage());
            IllegalArgumentException used = assertThrows(IllegalArgumentException.class,
                    () -> b.fleet().deleteGroup("All/Oslo", "bob"));
            assertTrue(used.getMessage().contains("user olga"), used.getMessage());

            String version = a.fleet().passwordVersion("olga").orElseThrow();
            assertEquals(version, b.fleet().passwordVersion("olga").orElseThrow(), "the same stored hash");
            b.fleet().setPassword("olga", "new-password-1".toCharArray(), "bob");
            backend.settle();
            // a's web ends olga's sessions opened before the change made on b
            assertTrue(!version.equals(a.fleet().passwordVersion("olga").orElseThrow()));
            assertTrue(a.fleet().authenticate("olga", "new-password-1".toCharArray()).isPresent());
            assertTrue(a.events().contains(Topics.USER_CHANGED), a.events().toString());
        }
    }

    @Test
    void theSameUserCreatedOnBothServersAtOnceIsRefusedOnOne() throws Exception {
        try (FleetHarness h = new FleetHarness(data); MemoryPersistence backend = new MemoryPersistence()) {
            Server a = server(h, backend, "a", "admin-password");
            Server b = server(h, backend, "b", "admin-password");
            List<String> outcomes = both(pool,
                    () -> a.fleet().createUser("carl", "All", Set.of(), "carl-password-a".toCharArray(), "alice").name(),
                    () -> b.fleet().createUser("carl", "All", Set.of(), "carl-password-b".toCharArray(), "bob").name());
            assertEquals(1, outcomes.stream().filter(o -> o.equals("carl")).count(), outcomes.toString());
            assertTrue(outcomes.stream().anyMatch(o -> o.contains("exists already")), outcomes.toString());
        }
    }

    @Test
    void aComputerReplicatingOnOneServerIsSeenOnTheOtherWithDistinctIds() throws Exception {
        try (FleetHarness h = new FleetHarness(data); MemoryPersistence backend = new MemoryPersistence()) {
            Server a = server(h, backend, "a", "admin-password");
            Server b = server(h, backend, "b", "admin-password");
            Computer added = b.fleet().addComputer("pc-b", "All", "bob");

            long caId = h.store.serverCertificate().orElseThrow().caId();
            CertificateInfo cert = h.store.issue(IssueRequest.of(caId, Role.AGENT, "pc-a"), "test");
            X509Certificate peer = x509(h.store.export(cert.id(), ExportFormat.PEM, null, "test"));
            Replication replication = new Replication(a.fleet().state, a.fleet().computers, a.fleet().policies, h.store,
                    new AgentMessages(a.fleet().state, h.store, () -> h.settings), () -> h.settings);
            AgentMessages.Answer answer = replication.replicate(("{\"certificateFingerprint\":\""
                    + AgentMessages.fingerprint(peer) + "\",\"hostName\":\"pc-a\",\"time\":\"" + h.clock.instant() + "\"}")
                    .getBytes(StandardCharsets.UTF_8), peer);
            assertEquals(200, answer.status(), answer.body().toString());
            long id = answer.body().path("computerId").asLong();
            assertNotEquals(added.id(), id, "the servers reserve their ids apart");

            backend.settle();
            Computer seen = b.fleet().computer(id).orElseThrow();
            assertEquals("pc-a", seen.name());
            assertEquals(cert.id(), seen.certificateId());
            assertEquals(h.clock.instant(), seen.lastReplication());
            assertTrue(b.events().contains(Topics.COMPUTER_ADDED), b.events().toString());
            assertEquals("pc-b", a.fleet().computer(added.id()).orElseThrow().name());
            // the CA deletion guard of either server names it
            assertFalse(b.fleet().blockingReasons(h.store.ca(caId).orElseThrow()).isEmpty());
        }
    }

    @Test
    void rolloverStepsOnTwoServersRunAsOnOneServer() throws Exception {
        try (FleetHarness h = new FleetHarness(data); MemoryPersistence backend = new MemoryPersistence()) {
            Server a = server(h, backend, "a", "admin-password");
            Server b = server(h, backend, "b", "admin-password");
            Rollovers onA = rollovers(h, a);
            Rollovers onB = rollovers(h, b);
            long oldCa = h.store.serverCertificate().orElseThrow().caId();

            // both start a rollover of the same CA at once: one does, the other is told it is under way
            List<String> started = both(pool, () -> "started " + onA.start(oldCa, RolloverOptions.defaults(), "alice").id(),
                    () -> "started " + onB.start(oldCa, RolloverOptions.defaults(), "bob").id());
            assertEquals(1, started.stream().filter(o -> o.startsWith("started")).count(), started.toString());
            assertTrue(started.stream().anyMatch(o -> o.contains("already in rollover")), started.toString());

            // both advance at once: steps 2 and 3, each once, as two clicks on one server
            List<String> advanced = both(pool, () -> "step " + onA.advance(1, "alice").completed(),
                    () -> "step " + onB.advance(1, "bob").completed());
            assertEquals(List.of("step 2", "step 3"), advanced.stream().sorted().toList());
            backend.settle();
            Rollover r = onA.rollover(1).orElseThrow();
            assertEquals(3, r.completed());
            assertEquals(r.newServerCertificateId(), onB.rollover(1).orElseThrow().newServerCertificateId());
            assertEquals(1, onB.rollovers().size());
        }
    }

    @Test
    void anUnavailableBackendRefusesTheChangeAndNothingIsHalfWritten() throws Exception {
        try (FleetHarness h = new FleetHarness(data); MemoryPersistence backend = new MemoryPersistence()) {
            Server a = server(h, backend, "a", "admin-password");
            backend.setAvailable(false);
            assertThrows(StorageUnavailableException.class,
                    () -> a.fleet().createUser("dora", "All", Set.of(), "dora-password".toCharArray(), "alice"));
            assertThrows(StorageUnavailableException.class, () -> a.fleet().createGroup("All/Rome", "", "alice"));
            // reads answer from what the server holds
            assertTrue(a.fleet().authenticate("admin", "admin-password".toCharArray()).isPresent());
            backend.setAvailable(true);
            assertTrue(a.fleet().user("dora").isEmpty());
            assertTrue(a.fleet().group("All/Rome").isEmpty());
            Server again = server(h, backend, "a", "admin-password");
            assertTrue(again.fleet().user("dora").isEmpty());
            assertTrue(again.fleet().group("All/Rome").isEmpty());
            a.fleet().createUser("dora", "All", Set.of(), "dora-password".toCharArray(), "alice");
        }
    }

    private static Rollovers rollovers(FleetHarness h, Server s) throws Exception {
        Rollovers r = new Rollovers(s.fleet().state, s.fleet().computers, s.fleet().policies, h.store, Duration.ofHours(24));
        r.open();
        return r;
    }

    /** Runs both at the same moment; each one's result, or its refusal's message. */
    private static List<String> both(ExecutorService pool, Callable<String> one, Callable<String> other) throws Exception {
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<String>> futures = new ArrayList<>();
        for (Callable<String> task : List.of(one, other)) {
            futures.add(pool.submit(() -> {
                start.await();
                try {
                    return task.call();
                } catch (IllegalArgumentException e) { // a RolloverRefusedException too
                    return "refused: " + e.getMessage();
                }
            }));
        }
        List<String> out = new ArrayList<>();
        for (Future<String> f : futures) {
            out.add(f.get());
        }
        return out;
    }

    private static X509Certificate x509(byte[] pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem));
    }
}
