package org.certwatch.store.internal.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.certwatch.api.Topics;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 16: succession, retirement and deletion of monitored certificates, an import that replaces one, and the
 * secret sealer — each durable across a reopen and a rekey, ids never reused.
 */
class MonitoredCertificatesTest {
    @TempDir
    Path dir;

    private byte[] selfSigned(String name) throws Exception {
        Path cert = dir.resolve(name + ".pem");
        OpenSsl.Result r = OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out", cert.toString(), "-days", "30",
                "-subj", "/CN=" + name);
        assertEquals(0, r.exit(), r.output());
        return Files.readAllBytes(cert);
    }

    private static CertificateInfo importOne(PkiStore store, byte[] pem, Long replaces) {
        return store.importCertificates(pem, null, new ImportOptions(null, null, null, replaces), "t").imported()
                .get(0);
    }

    @ParameterizedTest
    @EnumSource(Stores.Backend.class)
    void succeedRetireDeleteSurviveReopenAndRekey(Stores.Backend backend) throws Exception {
        Path data = dir.resolve("data");
        try (Stores stores = new Stores(data, new SettableClock(Instant.parse("2026-01-01T00:00:00Z")), backend)) {
            PkiStore store = stores.open();
            long a = importOne(store, selfSigned("a"), null).id();
            long b = importOne(store, selfSigned("b"), null).id();
            long c = importOne(store, selfSigned("c"), null).id();

            stores.events.clear();
            CertificateInfo old = store.supersede(a, b, "alice");
            assertEquals(b, old.successorId());
            assertEquals(a, store.certificate(b).orElseThrow().predecessorId());
            assertEquals(2, stores.events.stream().filter(Topics.CERTIFICATE_CHANGED::equals).count());
            assertEquals(old, store.supersede(a, b, "alice"), "the same succession again changes nothing");
            CertificateStoreException taken = assertThrows(CertificateStoreException.class,
                    () -> store.supersede(a, c, "alice"));
            assertTrue(taken.getMessage().contains("has a successor already, certificate " + b), taken.getMessage());
            assertThrows(CertificateStoreException.class, () -> store.supersede(c, c, "alice"));

            CertificateInfo retired = store.setRetired(a, true, "alice");
            assertEquals(stores.clock.instant(), retired.retiredAt());
            assertEquals(retired, store.setRetired(a, true, "alice"));

            // a roll back: c replaced b, then b is served again; b must alarm again, so its successor link goes
            store.supersede(b, c, "alice");
            store.supersede(c, b, "alice");
            assertEquals(0, store.certificate(b).orElseThrow().successorId());
            assertEquals(b, store.certificate(c).orElseThrow().successorId());

            store.deleteMonitored(c, "alice");
            assertTrue(store.certificate(c).isEmpty());
            assertEquals(0, store.certificate(b).orElseThrow().successorId(), "links to a deleted one are cleared");
            assertTrue(stores.events.contains(Topics.CERTIFICATE_DELETED));
            if (stores.inFiles()) {
                try (java.util.stream.Stream<Path> files = Files.walk(stores.folder())) {
                    assertTrue(files.noneMatch(f -> f.getFileName().toString().equals(c + ".pem")),
                            "the deleted certificate's PEM is gone");
                }
            }
            store.close();

            PkiStore reopened = stores.open();
            assertEquals(retired.retiredAt(), reopened.certificate(a).orElseThrow().retiredAt());
            assertEquals(b, reopened.certificate(a).orElseThrow().successorId());
            assertTrue(reopened.certificate(c).isEmpty());
            reopened.rekey("another long password".toCharArray(), "alice");
            long d = importOne(reopened, selfSigned("d"), null).id();
            assertTrue(d > c, "the deleted id " + c + " is not reused (got " + d + ")");
            reopened.setRetired(a, false, "alice");
            reopened.close();

            PkiStore rekeyed = stores.open("another long password");
            assertNull(rekeyed.certificate(a).orElseThrow().retiredAt());
            assertEquals(b, rekeyed.certificate(a).orElseThrow().successorId());
            assertEquals(a, rekeyed.certificate(b).orElseThrow().predecessorId());
            rekeyed.close();
            String audit = Files.readString(data.resolve("audit/audit.log"));
            for (String action : new String[] {"certificate.supersede", "certificate.retire", "certificate.unretire",
                    "certificate.delete"}) {
                assertTrue(audit.contains(action), action);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.Backend.class)
    void issuedCertificatesAreRefused(Stores.Backend backend) throws Exception {
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime(), backend)) {
            PkiStore store = stores.open();
            long ca = store.createCa(CaRequest.of("CN=Refuse CA"), "t").id();
            long issued = store.issue(IssueRequest.of(ca, org.certwatch.api.Role.AGENT, "pc1"), "t").id();
            long monitored = importOne(store, selfSigned("m"), null).id();
            assertThrows(CertificateStoreException.class, () -> store.setRetired(issued, true, "t"));
            assertThrows(CertificateStoreException.class, () -> store.deleteMonitored(issued, "t"));
            assertThrows(CertificateStoreException.class, () -> store.supersede(issued, monitored, "t"));
            assertTrue(store.certificate(issued).isPresent());
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.Backend.class)
    void anImportReplacesAMonitoredCertificateOrStoresNothing(Stores.Backend backend) throws Exception {
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime(), backend)) {
            PkiStore store = stores.open();
            long old = importOne(store, selfSigned("old"), null).id();
            CertificateInfo next = importOne(store, selfSigned("new"), old);
            assertEquals(old, next.predecessorId());
            assertEquals(next.id(), store.certificate(old).orElseThrow().successorId());

            int size = store.size();
            byte[] other = selfSigned("other");
            CertificateStoreException unknown = assertThrows(CertificateStoreException.class,
                    () -> importOne(store, other, 999L));
            assertTrue(unknown.getMessage().contains("999"), unknown.getMessage());
            CertificateStoreException succeeded = assertThrows(CertificateStoreException.class,
                    () -> importOne(store, other, old));
            assertTrue(succeeded.getMessage().contains("has a successor already"), succeeded.getMessage());
            long ca = store.createCa(CaRequest.of("CN=Replace CA"), "t").id();
            long issued = store.issue(IssueRequest.of(ca, org.certwatch.api.Role.AGENT, "pc1"), "t").id();
            assertThrows(CertificateStoreException.class, () -> importOne(store, other, issued));
            assertEquals(size + 1, store.size(), "only the issued certificate was added");

            // a certificate already present takes over: it is reused, not stored twice
            long spare = importOne(store, other, null).id();
            store.importCertificates(other, null, new ImportOptions(null, null, null, next.id()), "t");
            assertEquals(spare, store.certificate(next.id()).orElseThrow().successorId());
        }
    }

    @Test
    void sealedSecretsOpenAfterReopenAndRekey() throws Exception {
        Path data = dir.resolve("data");
        try (Stores stores = new Stores(data, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            String sealed = store.seal("keystore pässword".toCharArray());
            assertTrue(sealed.matches("[\\x21-\\x7e]+"), sealed);
            assertFalse(sealed.contains("keystore"));
            assertArrayEquals("keystore pässword".toCharArray(), store.open(sealed));
            assertFalse(sealed.equals(store.seal("keystore pässword".toCharArray())), "a fresh IV every time");
            store.rekey("a different password".toCharArray(), "t");
            assertArrayEquals("keystore pässword".toCharArray(), store.open(sealed));
            store.close();

            PkiStore reopened = stores.open("a different password");
            assertArrayEquals("keystore pässword".toCharArray(), reopened.open(sealed));
            char[] last = sealed.toCharArray();
            int at = "cw-sealed-v1:".length() + 20; // inside the IV: no padding bits there
            last[at] = last[at] == 'A' ? 'B' : 'A';
            assertThrows(CertificateStoreException.class, () -> reopened.open(new String(last)));
            assertThrows(CertificateStoreException.class, () -> reopened.open("plain text"));
            reopened.close();
        }
        // another store (another data key) cannot open it
        try (Stores other = new Stores(dir.resolve("other"), SettableClock.atSystemTime())) {
            PkiStore store = other.open();
            String mine = store.seal("x".toCharArray());
            assertTrue(mine.startsWith("cw-sealed-v1:"));
            PkiStore first = new Stores(data, SettableClock.atSystemTime()).open("a different password");
            assertThrows(CertificateStoreException.class, () -> first.open(mine));
            first.close();
        }
    }
}
