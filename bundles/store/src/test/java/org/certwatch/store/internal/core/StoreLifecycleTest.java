package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.RenewRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.store.internal.persist.FormatVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLifecycleTest {
    @TempDir
    Path dir;

    @Test
    void everythingSurvivesAReopenAndIdsAreNeverReused() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(new CaRequest("CN=Persistent CA", KeyType.EC_P384, null, "d", "All/Berlin"), "t");
            CertificateInfo a = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org"), "t");
            CertificateInfo b = store.issue(IssueRequest.of(ca.id(), Role.MDM, "b.example.org"), "t");
            store.revoke(b.id(), RevocationReason.CESSATION_OF_OPERATION, "t");
            CertificateInfo server = store.ensureInitialCertificates("myhost", "system");
            store.close();

            PkiStore again = stores.open();
            assertEquals(store.cas(), again.cas());
            assertEquals(store.certificates(CertificateQuery.all()), again.certificates(CertificateQuery.all()));
            assertEquals(a, again.certificateByFingerprint(a.fingerprint()).orElseThrow());
            assertEquals(ca, again.caByFingerprint(ca.fingerprint().toUpperCase()).orElseThrow());
            assertEquals(server.id(), again.serverCertificate().orElseThrow().id());
            assertEquals(RevocationReason.CESSATION_OF_OPERATION, again.certificate(b.id()).orElseThrow()
                    .revocationReason());
            assertEquals("All/Berlin", again.ca(ca.id()).orElseThrow().homeGroup());
            CertificateInfo c = again.issue(IssueRequest.of(ca.id(), Role.PROXY, "c.example.org"), "t");
            assertTrue(c.id() > server.id(), "ids grow: " + c.id());
            // the key still opens after the restart
            assertEquals(0, OpenSsl.run(dir, "pkey", "-in", again.folder().resolve("gen-000001/keys/000/" + a.id()
                    + ".key").toString(), "-passin", "pass:" + Stores.PASSWORD, "-noout").exit());
            assertEquals(again.export(a.id(), ExportFormat.DER, null, "t").length,
                    again.certificateBytes(a.id()).length);
        }
    }

    @Test
    void firstStartCreatesCaAndServerCertificateForAnyHostAndThisMachine() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            assertTrue(store.freshlyCreated());
            CertificateInfo server = store.ensureInitialCertificates("box.example.org", "system");
            assertEquals(Role.SERVER, server.role());
            assertEquals("*", server.host());
            assertEquals(List.of("box.example.org", "localhost", "127.0.0.1", "::1"), server.alternativeNames());
            assertEquals(server, store.ensureInitialCertificates("box.example.org", "system"));
            assertEquals(1, store.cas().size());
            Instant now = stores.clock.instant();
            assertEquals(now.minus(Duration.ofDays(1)).getEpochSecond(), server.notBefore().getEpochSecond(), 1);
        }
    }

    @Test
    void renewLinksPredecessorAndSuccessor() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Renew CA"), "t");
            CertificateInfo old = store.issue(new IssueRequest(ca.id(), Role.AGENT, "pc1.example.org",
                    List.of("10.1.1.1"), null, "desk", "All/Ops", KeyType.EC_P256, null), "t");
            CertificateInfo fresh = store.renew(old.id(), RenewRequest.defaults(), "t");
            assertEquals(old.id(), fresh.predecessorId());
            assertEquals(fresh.id(), store.certificate(old.id()).orElseThrow().successorId());
            assertEquals(old.subject(), fresh.subject());
            assertEquals(old.host(), fresh.host());
            assertEquals(old.alternativeNames(), fresh.alternativeNames());
            assertEquals("All/Ops", fresh.homeGroup());
            assertNotEquals(old.fingerprint(), fresh.fingerprint());
            // same key on request: the public keys match
            CertificateInfo sameKey = store.renew(fresh.id(), new RenewRequest(null, null, false), "t");
            assertEquals(store.privateKey(fresh.id()), store.privateKey(sameKey.id()));
            // a renewal into another CA (rollover step 2)
            CaInfo next = store.createCa(CaRequest.of("CN=Next CA"), "t");
            CertificateInfo moved = store.renew(sameKey.id(), new RenewRequest(next.id(), null, true), "t");
            assertEquals(next.id(), moved.caId());
            assertTrue(stores.events.contains(Topics.CERTIFICATE_RENEWED));
            store.close();
            PkiStore again = stores.open();
            assertEquals(fresh.id(), again.certificate(old.id()).orElseThrow().successorId());
        }
    }

    @Test
    void revocationReissuesTheCrlWithAGrowingNumberAndRefreshesBeforeNextUpdate() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=CRL CA"), "t");
            CertificateInfo a = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org"), "t");
            long n1 = crlNumber(store, ca);
            store.revoke(a.id(), RevocationReason.KEY_COMPROMISE, "t");
            long n2 = crlNumber(store, ca);
            assertTrue(n2 > n1);
            assertThrows(CertificateStoreException.class, () -> store.revoke(a.id(), null, "t"));
            X509CRLHolder crl = new X509CRLHolder(store.crl(ca.id(), false));
            assertEquals(stores.clock.instant().plus(Duration.ofDays(7)).getEpochSecond(),
                    crl.getNextUpdate().toInstant().getEpochSecond(), 1);
            assertEquals(0, store.refreshCrls(), "fresh CRLs are left alone");
            stores.clock.advance(Duration.ofDays(5));
            assertEquals(1, store.refreshCrls());
            assertTrue(crlNumber(store, ca) > n2);
            X509CRLHolder refreshed = new X509CRLHolder(store.crl(ca.id(), false));
            assertTrue(refreshed.getNextUpdate().toInstant().isAfter(stores.clock.instant()));
            assertEquals(a.serial(), ((org.bouncycastle.cert.X509CRLEntryHolder) refreshed.getRevokedCertificates().iterator().next()).getSerialNumber());
            assertEquals(ExpiryStatus.REVOKED, store.certificate(a.id()).orElseThrow()
                    .expiryStatus(stores.clock.instant(), Duration.ofDays(30)));
            long before = crlNumber(store, ca);
            store.close();
            assertEquals(before, crlNumber(stores.open(), ca), "a matching CRL is kept on open");
        }
    }

    private static long crlNumber(PkiStore store, CaInfo ca) throws IOException {
        X509CRLHolder crl = new X509CRLHolder(store.crl(ca.id(), false));
        return org.bouncycastle.asn1.x509.CRLNumber.getInstance(crl.getExtension(
                org.bouncycastle.asn1.x509.Extension.cRLNumber).getParsedValue()).getCRLNumber().longValueExact();
    }

    @Test
    void deletingACaFollowsTheRules() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Old CA"), "t");
            CertificateInfo live = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org"), "t");
            CertificateStoreException e = assertThrows(CertificateStoreException.class,
                    () -> store.deleteCa(ca.id(), null, "t"));
            assertTrue(e.getMessage().contains("1 certificate(s) it issued are unexpired and unrevoked (ids ["
                    + live.id() + "])"), e.getMessage());
            store.revoke(live.id(), RevocationReason.SUPERSEDED, "t");
            stores.guards.add(c -> c.id() == ca.id() ? List.of("computer pc7 last authenticated with certificate "
                    + live.id()) : List.of());
            e = assertThrows(CertificateStoreException.class, () -> store.deleteCa(ca.id(), " ", "t"));
            assertTrue(e.getMessage().contains("computer pc7 last authenticated"), e.getMessage());
            assertTrue(Files.exists(store.folder().resolve("gen-000001/ca-keys/" + ca.id() + ".key")));
            CaInfo deleted = store.deleteCa(ca.id(), "pc7 is decommissioned", "admin");
            assertEquals(CaStatus.DELETED, deleted.status());
            assertFalse(deleted.hasKey());
            assertTrue(deleted.deleteReason().startsWith("pc7 is decommissioned (overriding: computer pc7"));
            assertFalse(Files.exists(store.folder().resolve("gen-000001/ca-keys/" + ca.id() + ".key")));
            assertThrows(CertificateStoreException.class,
                    () -> store.issue(IssueRequest.of(ca.id(), Role.AGENT, "b.example.org"), "t"));
            assertThrows(CertificateStoreException.class,
                    () -> store.exportCa(ca.id(), ExportFormat.PKCS12, "pw".toCharArray(), "t"));
            List<AuditEntry> audit = stores.audit.list(new AuditQuery(null, null, "admin", "ca.delete", null, 0));
            assertEquals("ca.delete-forced", audit.get(0).action());
            assertTrue(stores.events.contains(Topics.CA_DELETED));
            store.close();
            PkiStore again = stores.open();
            CaInfo history = again.ca(ca.id()).orElseThrow();
            assertEquals(CaStatus.DELETED, history.status());
            assertEquals(ca.fingerprint(), history.fingerprint());
            assertEquals(live.id(), again.certificates(CertificateQuery.all().withCa(ca.id())).get(0).id());
            // expired certificates do not block
            CaInfo other = again.createCa(new CaRequest("CN=Short CA", null, Duration.ofDays(30), null, null), "t");
            again.issue(IssueRequest.of(other.id(), Role.AGENT, "x.example.org"), "t");
            stores.clock.advance(Duration.ofDays(31));
            stores.guards.clear();
            assertEquals(CaStatus.DELETED, again.deleteCa(other.id(), null, "t").status());
        }
    }

    @Test
    void rekeyReEncryptsEveryKeyAndTheOldPasswordNoLongerOpens() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Rekey CA"), "t");
            CertificateInfo a = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org"), "t");
            store.revoke(store.issue(IssueRequest.of(ca.id(), Role.AGENT, "b.example.org"), "t").id(), null, "t");
            List<CertificateInfo> before = store.certificates(CertificateQuery.all());
            store.rekey("a brand new password".toCharArray(), "admin");
            assertEquals(before, store.certificates(CertificateQuery.all()));
            Path key = store.folder().resolve("gen-000002/keys/000/" + a.id() + ".key");
            assertEquals(0, OpenSsl.run(dir, "pkey", "-in", key.toString(), "-passin", "pass:a brand new password",
                    "-noout").exit());
            assertNotEquals(0, OpenSsl.run(dir, "pkey", "-in", key.toString(), "-passin", "pass:" + Stores.PASSWORD,
                    "-noout").exit());
            assertEquals(0, OpenSsl.run(dir, "pkey", "-in", store.folder().resolve("gen-000002/ca-keys/" + ca.id()
                    + ".key").toString(), "-passin", "pass:a brand new password", "-noout").exit());
            assertFalse(Files.exists(store.folder().resolve("gen-000001")));
            // the store keeps working: issue under the new generation
            store.issue(IssueRequest.of(ca.id(), Role.AGENT, "c.example.org"), "t");
            store.close();
            CertificateStoreException e = assertThrows(CertificateStoreException.class, () -> stores.open());
            assertTrue(e.getMessage().contains("key password does not open the store"), e.getMessage());
            PkiStore again = stores.open("a brand new password");
            assertEquals(3, again.certificates(CertificateQuery.all()).size());
            assertTrue(again.certificate(before.get(1).id()).orElseThrow().revoked());
            assertEquals("ECDSA", again.privateKey(a.id()).getAlgorithm());
        }
    }

    @Test
    void wrongPasswordIsRefusedAndChangesNothing() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            stores.open().close();
            Map<String, Long> files = stores.snapshot();
            CertificateStoreException e = assertThrows(CertificateStoreException.class, () -> stores.open("wrong"));
            assertTrue(e.getMessage().contains("key password does not open"), e.getMessage());
            Map<String, Long> after = new java.util.TreeMap<>(stores.snapshot());
            // the failed open consumed the clean marker (it cannot know it was clean until it closes)
            Map<String, Long> expected = new java.util.TreeMap<>(files);
            expected.remove("clean");
            assertEquals(expected, after);
        }
    }

    @Test
    void newerFormatIsRefusedOlderIsUpgradedAfterACopy() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            stores.open().close();
            Files.writeString(stores.folder().resolve("format"), "99\n");
            IOException e = assertThrows(IOException.class, () -> stores.open());
            assertTrue(e.getMessage().contains("format 99, newer than this server understands ("
                    + FormatVersion.CURRENT + ")"), e.getMessage());
            int current = FormatVersion.CURRENT;
            Files.writeString(stores.folder().resolve("format"), current + "\n");
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Format CA"), "t");
            store.close();
            // pretend this server understands the next format, with an upgrade step from the current one
            Path marker = stores.folder().resolve("upgraded-from-" + current);
            FormatVersion next = new FormatVersion(current + 1, Map.of(current, folder -> Files.writeString(
                    folder.resolve("upgraded-from-" + current), "yes")));
            PkiStore upgraded = PkiStore.open(stores.folder(), Stores.PASSWORD.toCharArray(), stores.clock,
                    stores.audit, StoreEvents.NONE, List::of, StoreSettings.defaults(), new BouncyCastleProvider(), next);
            assertEquals(ca, upgraded.ca(ca.id()).orElseThrow());
            upgraded.close();
            assertTrue(Files.exists(marker));
            assertEquals(Integer.toString(current + 1), Files.readString(stores.folder().resolve("format")).strip());
            try (Stream<Path> siblings = Files.list(dir)) {
                Path backup = siblings.filter(p -> p.getFileName().toString().startsWith("store.v" + current
                        + ".backup-")).findFirst().orElseThrow();
                assertEquals(Integer.toString(current), Files.readString(backup.resolve("format")).strip());
                assertTrue(Files.exists(backup.resolve("gen-000001/journal.log")));
            }
        }
    }

    @Test
    void tornJournalTailIsCutOffOnOpen() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Torn CA"), "t");
            CertificateInfo a = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org"), "t");
            store.close();
            Path journal = stores.folder().resolve("gen-000001/journal.log");
            long intact = Files.size(journal);
            // a frame header promising more than was written, as a crash mid-write leaves it
            Files.write(journal, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 9, 9, 9}, StandardOpenOption.APPEND);
            PkiStore again = stores.open();
            assertEquals(a, again.certificate(a.id()).orElseThrow());
            assertEquals(intact, Files.size(journal));
            CertificateInfo b = again.issue(IssueRequest.of(ca.id(), Role.AGENT, "b.example.org"), "t");
            again.close();
            assertEquals(b, stores.open().certificate(b.id()).orElseThrow());
        }
    }

    @Test
    void queriesByCaRoleGroupAndWindow() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            CaInfo ca1 = store.createCa(CaRequest.of("CN=Q1"), "t");
            CaInfo ca2 = store.createCa(CaRequest.of("CN=Q2"), "t");
            Instant now = stores.clock.instant();
            store.issue(new IssueRequest(ca1.id(), Role.AGENT, "a.example.org", List.of(), null, null, "All/Berlin",
                    null, now.plus(Duration.ofDays(10))), "t");
            store.issue(new IssueRequest(ca1.id(), Role.SERVER, "s.example.org", List.of(), null, null,
                    "All/Berlin/Mitte", null, now.plus(Duration.ofDays(100))), "t");
            store.issue(new IssueRequest(ca2.id(), Role.AGENT, "b.example.org", List.of(), null, null, null, null,
                    now.plus(Duration.ofDays(40))), "t");
            assertEquals(2, store.certificates(CertificateQuery.all().withCa(ca1.id())).size());
            assertEquals(2, store.certificates(CertificateQuery.all().withRole(Role.AGENT)).size());
            assertEquals(1, store.certificates(CertificateQuery.all().withGroup("All/Berlin", false)).size());
            assertEquals(2, store.certificates(CertificateQuery.all().withGroup("All/Berlin", true)).size());
            assertEquals(1, store.certificates(CertificateQuery.all().withGroup("All", false)).size());
            assertEquals(2, store.certificates(CertificateQuery.all().expiringBetween(now,
                    now.plus(Duration.ofDays(50)))).size());
        }
    }

    @Test
    void importsMonitoredChainsAndCasFromPemDerAndPkcs12() throws Exception {
        try (Stores stores = new Stores(dir, SettableClock.atSystemTime());
                Stores other = new Stores(dir.resolve("other"), stores.clock)) {
            PkiStore source = other.open();
            CaInfo sourceCa = source.createCa(CaRequest.of("CN=Third Party CA"), "t");
            CertificateInfo leaf = source.issue(IssueRequest.of(sourceCa.id(), Role.SERVER, "www.example.com"), "t");
            byte[] chain = source.export(leaf.id(), ExportFormat.PEM_CHAIN, null, "t");
            byte[] p12 = source.export(leaf.id(), ExportFormat.PKCS12, "pw".toCharArray(), "t");
            byte[] caP12 = source.exportCa(sourceCa.id(), ExportFormat.PKCS12, "pw".toCharArray(), "t");

            PkiStore store = stores.open();
            List<CertificateInfo> imported = store.importCertificates(chain, null,
                    new ImportOptions(null, "vendor chain", "All/DMZ"), "t").imported();
            assertEquals(2, imported.size());
            assertTrue(imported.stream().allMatch(c -> c.role() == Role.MONITORED && !c.hasKey()));
            assertEquals("www.example.com", imported.get(0).host());
            assertTrue(stores.events.contains(Topics.CERTIFICATE_IMPORTED));
            // the CA with its key, from PKCS#12; then the leaf (DER of the PKCS#12 holds it) links to it
            CaInfo ca = store.importCa(caP12, null, "pw".toCharArray(), "imported", null, "t");
            assertTrue(ca.imported());
            assertEquals(sourceCa.fingerprint(), ca.fingerprint());
            byte[] der = source.export(source.issue(IssueRequest.of(sourceCa.id(), Role.AGENT, "z.example.com"), "t")
                    .id(), ExportFormat.DER, null, "t");
            CertificateInfo linked = store.importCertificates(der, null, new ImportOptions(ca.id(), null, null), "t")
                    .imported().get(0);
            assertEquals(ca.id(), linked.caId());
            // the imported CA can sign, and its certificates verify against the original CA
            CertificateInfo mine = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "mine.example.com"), "t");
            Path caPem = dir.resolve("tp-ca.pem");
            Files.write(caPem, source.exportCa(sourceCa.id(), ExportFormat.PEM, null, "t"));
            Path minePem = dir.resolve("mine.pem");
            Files.write(minePem, store.export(mine.id(), ExportFormat.PEM, null, "t"));
            assertEquals(0, OpenSsl.run(dir, "verify", "-CAfile", caPem.toString(), minePem.toString()).exit());
            // CA import from PEM certificate + encrypted PEM key (as openssl writes it)
            Path key = dir.resolve("k.pem");
            Path cert = dir.resolve("c.pem");
            assertEquals(0, OpenSsl.run(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-keyout", key.toString(), "-out", cert.toString(), "-days", "30", "-subj", "/CN=OpenSSL CA",
                    "-passout", "pass:keypw", "-addext", "basicConstraints=critical,CA:TRUE").exit());
            CaInfo fromOpenSsl = store.importCa(Files.readAllBytes(cert), Files.readAllBytes(key),
                    "keypw".toCharArray(), null, null, "t");
            assertEquals("CN=OpenSSL CA", fromOpenSsl.subject());
            assertThrows(CertificateStoreException.class, () -> store.importCa(Files.readAllBytes(cert),
                    Files.readAllBytes(key), "wrong".toCharArray(), null, null, "t"));
            // a PKCS#12 of a peer certificate imports for monitoring, its key is not kept
            try (Stores third = new Stores(dir.resolve("third"), stores.clock)) {
                List<CertificateInfo> fromP12 = third.open().importCertificates(p12, "pw".toCharArray(),
                        ImportOptions.defaults(), "t").imported();
                assertEquals(2, fromP12.size());
                assertFalse(fromP12.get(0).hasKey());
            }
            assertEquals(BigInteger.ONE.signum(), leaf.serial().signum());
            assertTrue(new String(Files.readAllBytes(stores.data.resolve("audit/audit.log")), StandardCharsets.UTF_8)
                    .contains("\"action\":\"certificate.import\""));
        }
    }
}
