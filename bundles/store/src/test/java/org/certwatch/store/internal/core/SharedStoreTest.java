package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two servers sharing one store (two views of one {@link MemoryPersistence}). */
class SharedStoreTest {
    private final MemoryPersistence backend = new MemoryPersistence();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        backend.close();
    }

    @Test
    void aCertificateIssuedOnOneServerIsOnTheOtherWithItsEvent() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            List<String> seenByB = new CopyOnWriteArrayList<>();
            PkiStore b = stores.openShared(backend.server("b"), Stores.PASSWORD, (topic, p) -> seenByB.add(topic));
            CaInfo ca = a.createCa(CaRequest.of("CN=Shared"), "t");
            CertificateInfo issued = a.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-1.example.org"), "t");
            backend.settle();

            assertEquals(issued, b.certificate(issued.id()).orElseThrow());
            assertEquals(List.of(Topics.CA_CREATED, Topics.CERTIFICATE_ISSUED), seenByB);
            assertArrayEquals(a.export(issued.id(), ExportFormat.DER, null, "t"),
                    b.export(issued.id(), ExportFormat.DER, null, "t"));
            assertEquals(a.privateKey(issued.id()), b.privateKey(issued.id()), "the same key password on both");
            // B revokes what A issued: the CRL is shared, A follows
            b.revoke(issued.id(), RevocationReason.KEY_COMPROMISE, "t");
            backend.settle();
            assertTrue(a.certificate(issued.id()).orElseThrow().revoked());
            assertArrayEquals(b.crl(ca.id(), false), a.crl(ca.id(), false));
        }
    }

    @Test
    void serversStartingTogetherOnAnEmptyStoreMakeOneCaAndOneServerCertificate() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<CertificateInfo>> servers = new ArrayList<>();
            for (String id : List.of("a", "b", "c")) {
                servers.add(threads.submit(() -> {
                    start.await();
                    PkiStore s = stores.openShared(backend.server(id), Stores.PASSWORD);
                    return s.ensureInitialCertificates("host-" + id, "system");
                }));
            }
            start.countDown();
            Set<CertificateInfo> serverCertificates = new HashSet<>();
            for (Future<CertificateInfo> f : servers) {
                serverCertificates.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, serverCertificates.size());
            PkiStore d = stores.openShared(backend.server("d"), Stores.PASSWORD);
            assertEquals(1, d.cas().size());
            assertEquals(1, d.size());
        }
    }

    @Test
    void concurrentIssuanceOnBothServersLosesNothingAndNeverSharesAnIdOrSerial() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            PkiStore b = stores.openShared(backend.server("b"), Stores.PASSWORD);
            CaInfo ca = a.createCa(CaRequest.of("CN=Busy"), "t");
            backend.settle();
            List<Future<List<CertificateInfo>>> runs = new ArrayList<>();
            for (PkiStore server : List.of(a, b, a, b)) {
                runs.add(threads.submit(() -> {
                    List<CertificateInfo> mine = new ArrayList<>();
                    for (int i = 0; i < 10; i++) {
                        mine.add(server.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc.example.org"), "t"));
                    }
                    // and a bulk issuance, whose chunks are appended by the store's workers
                    List<IssueRequest> bulk = new ArrayList<>();
                    for (int i = 0; i < 70; i++) {
                        bulk.add(IssueRequest.of(ca.id(), Role.AGENT, "bulk.example.org"));
                    }
                    mine.addAll(server.issueAll(bulk, "t"));
                    return mine;
                }));
            }
            Set<Long> ids = new HashSet<>();
            Set<java.math.BigInteger> serials = new HashSet<>();
            for (Future<List<CertificateInfo>> run : runs) {
                for (CertificateInfo c : run.get(120, TimeUnit.SECONDS)) {
                    assertTrue(ids.add(c.id()), "id " + c.id() + " twice");
                    assertTrue(serials.add(c.serial()), "serial " + c.serial() + " twice");
                }
            }
            assertEquals(320, ids.size());
            backend.settle();
            assertEquals(a.certificates(CertificateQuery.all()), b.certificates(CertificateQuery.all()));
            assertEquals(320, b.size());
            PkiStore c = stores.openShared(backend.server("c"), Stores.PASSWORD);
            assertEquals(a.certificates(CertificateQuery.all()), c.certificates(CertificateQuery.all()));
        }
    }

    @Test
    void deletingACaOnOneServerWhileTheOtherIssuesFromItLetsExactlyOneWin() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            PkiStore b = stores.openShared(backend.server("b"), Stores.PASSWORD);
            for (int round = 0; round < 4; round++) {
                CaInfo ca = a.createCa(CaRequest.of("CN=Contested " + round), "t");
                backend.settle();
                b.ca(ca.id()).orElseThrow();
                CountDownLatch go = new CountDownLatch(1);
                Future<Boolean> deleted = threads.submit(succeeds(go, () -> a.deleteCa(ca.id(), null, "t")));
                Future<Boolean> issued = threads.submit(succeeds(go,
                        () -> b.issue(IssueRequest.of(ca.id(), Role.AGENT, "late.example.org"), "t")));
                go.countDown();
                assertTrue(deleted.get(60, TimeUnit.SECONDS) ^ issued.get(60, TimeUnit.SECONDS), "round " + round);
                backend.settle();
                CaStatus status = a.ca(ca.id()).orElseThrow().status();
                assertEquals(status, b.ca(ca.id()).orElseThrow().status());
                assertEquals(deleted.get() ? CaStatus.DELETED : CaStatus.ACTIVE, status);
                assertEquals(issued.get() ? 1 : 0, b.certificates(CertificateQuery.all()).stream()
                        .filter(c -> c.caId() == ca.id()).count());
            }
        }
    }

    private static Callable<Boolean> succeeds(CountDownLatch go, Callable<?> work) {
        return () -> {
            go.await();
            try {
                work.call();
                return true;
            } catch (CertificateStoreException refused) {
                return false;
            }
        };
    }

    @Test
    void anUnreachableBackendFailsTheChangeStoresNothingOfItAndServesAgainAfter() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            PkiStore b = stores.openShared(backend.server("b"), Stores.PASSWORD);
            CaInfo ca = a.createCa(CaRequest.of("CN=Flaky"), "t");
            backend.setAvailable(false);
            assertThrows(StorageUnavailableException.class,
                    () -> a.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc.example.org"), "t"));
            assertThrows(StorageUnavailableException.class, () -> a.createCa(CaRequest.of("CN=Never"), "t"));
            assertEquals(1, a.cas().size(), "reads keep answering from memory");
            backend.setAvailable(true);
            backend.settle();
            assertEquals(0, a.size());
            assertEquals(0, b.size());
            CertificateInfo issued = a.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc.example.org"), "t");
            backend.settle();
            assertEquals(issued, b.certificate(issued.id()).orElseThrow());
            assertEquals(List.of(ca), stores.openShared(backend.server("c"), Stores.PASSWORD).cas());
        }
    }

    @Test
    void aServerWithAnotherKeyPasswordRefusesToOpen() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            stores.openShared(backend.server("a"), Stores.PASSWORD).createCa(CaRequest.of("CN=Sealed"), "t");
            CertificateStoreException e = assertThrows(CertificateStoreException.class,
                    () -> stores.openShared(backend.server("b"), "not the password"));
            assertTrue(e.getMessage().contains("every server needs the same one"), e.getMessage());
        }
    }

    @Test
    void aRekeyOnOneServerIsReadByTheOtherWithTheNewPasswordSetThere() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            AtomicReference<String> passwordOfB = new AtomicReference<>(Stores.PASSWORD);
            List<String> seenByB = new CopyOnWriteArrayList<>();
            PkiStore b = stores.openShared(backend.server("b"), () -> passwordOfB.get().toCharArray(),
                    (topic, p) -> seenByB.add(topic));
            CaInfo ca = a.createCa(CaRequest.of("CN=Rekeyed"), "t");
            CertificateInfo before = a.issue(IssueRequest.of(ca.id(), Role.SERVER, "web.example.org"), "t");
            backend.settle();
            seenByB.clear();

            a.rekey("the new password".toCharArray(), "t");
            backend.settle();
            assertEquals(a.certificates(CertificateQuery.all()), b.certificates(CertificateQuery.all()));
            assertEquals(List.of(), seenByB, "the same facts: nothing to announce");
            // not set on B yet: what needs a key says what to do; set, B reads the keys again
            CertificateStoreException locked = assertThrows(CertificateStoreException.class,
                    () -> b.privateKey(before.id()));
            assertTrue(locked.getMessage().contains("set the new one on this server too"), locked.getMessage());
            passwordOfB.set("the new password");
            assertEquals(a.privateKey(before.id()), b.privateKey(before.id()));
            CertificateInfo after = b.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc.example.org"), "t");
            backend.settle();
            assertEquals(b.privateKey(after.id()), a.privateKey(after.id()));
            assertEquals(after, a.certificate(after.id()).orElseThrow());
        }
    }

    @Test
    void aRekeyOnOneServerKeepsTheStoreWhole() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore a = stores.openShared(backend.server("a"), Stores.PASSWORD);
            CaInfo ca = a.createCa(CaRequest.of("CN=Rekeyed"), "t");
            CertificateInfo before = a.issue(IssueRequest.of(ca.id(), Role.SERVER, "web.example.org"), "t");
            a.rekey("the new password".toCharArray(), "t");
            CertificateInfo after = a.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc.example.org"), "t");
            assertFalse(a.privateKey(before.id()).equals(a.privateKey(after.id())));
            assertThrows(CertificateStoreException.class, () -> stores.openShared(backend.server("b"), Stores.PASSWORD));
            PkiStore b = stores.openShared(backend.server("b"), "the new password");
            assertEquals(a.certificates(CertificateQuery.all()), b.certificates(CertificateQuery.all()));
            assertEquals(a.privateKey(before.id()), b.privateKey(before.id()));
        }
    }
}
