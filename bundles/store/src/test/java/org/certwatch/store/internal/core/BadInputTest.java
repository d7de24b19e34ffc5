package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.SubjectAltName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Each bad input is refused with a message that says what is wrong, and the store is unchanged. */
class BadInputTest {
    @TempDir
    Path dir;
    private Stores stores;
    private PkiStore store;
    private CaInfo ca;
    private CaInfo otherCa;
    private CertificateInfo leaf;
    private byte[] foreignLeafPem;

    @BeforeEach
    void setUp() throws Exception {
        stores = new Stores(dir, SettableClock.atSystemTime());
        store = stores.open();
        ca = store.createCa(new CaRequest("CN=Main CA", null, Duration.ofDays(365), null, null), "t");
        otherCa = store.createCa(CaRequest.of("CN=Other CA"), "t");
        leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org"), "t");
        // a certificate of a store this one does not know
        try (Stores foreign = new Stores(dir.resolve("foreign"), stores.clock)) {
            PkiStore f = foreign.open();
            CaInfo fca = f.createCa(CaRequest.of("CN=Main CA"), "t");
            foreignLeafPem = f.export(f.issue(IssueRequest.of(fca.id(), Role.AGENT, "x.example.org"), "t").id(),
                    ExportFormat.PEM, null, "t");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        stores.close();
    }

    /** Runs the bad call, checks the message, and checks that nothing in the store changed. */
    private void refused(Executable call, String... expectedInMessage) throws Exception {
        Map<String, Long> files = stores.snapshot();
        List<CaInfo> cas = store.cas();
        List<CertificateInfo> certificates = store.certificates(CertificateQuery.all());
        CertificateStoreException e = assertThrows(CertificateStoreException.class, call);
        PlainMessages.assertPlain(e.getMessage());
        for (String expected : expectedInMessage) {
            assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
        }
        assertEquals(files, stores.snapshot(), "files changed");
        assertEquals(cas, store.cas());
        assertEquals(certificates, store.certificates(CertificateQuery.all()));
    }

    @Test
    void truncatedPem() throws Exception {
        String pem = new String(foreignLeafPem, StandardCharsets.US_ASCII);
        byte[] cut = pem.substring(0, pem.length() / 2).getBytes(StandardCharsets.US_ASCII);
        refused(() -> store.importCertificates(cut, null, ImportOptions.defaults(), "t"), "truncated PEM");
        // BEGIN and END intact, body cut short
        String body = pem.replaceAll("(?s)(-----BEGIN CERTIFICATE-----\n.{40}).*(\n-----END)", "$1$2");
        refused(() -> store.importCertificates(body.getBytes(StandardCharsets.US_ASCII), null, ImportOptions.defaults(),
                "t"), "the import: not a certificate: the PEM block CERTIFICATE is damaged (its DER encoding is invalid)");
    }

    @Test
    void garbagePemAndDer() throws Exception {
        byte[] garbagePem = "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGUgYXQgYWxs\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.US_ASCII);
        refused(() -> store.importCertificates(garbagePem, null, ImportOptions.defaults(), "t"),
                "the import: not a certificate: the PEM block CERTIFICATE is damaged (its DER encoding is invalid)");
        // the outside test's case: a PEM block whose DER length runs past its end
        byte[] overlong = "-----BEGIN CERTIFICATE-----\nMIIBbzCB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        refused(() -> store.importCertificates(overlong, null, ImportOptions.defaults(), "t"),
                "the PEM block CERTIFICATE is damaged (its DER encoding is invalid)");
        byte[] badBase64 = "-----BEGIN CERTIFICATE-----\nMII*BbzCB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        refused(() -> store.importCertificates(badBase64, null, ImportOptions.defaults(), "t"),
                "the PEM block CERTIFICATE is damaged");
        byte[] mismatched = "-----BEGIN CERTIFICATE-----\nMIIBbzCB\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        refused(() -> store.importCertificates(mismatched, null, ImportOptions.defaults(), "t"),
                "the PEM block CERTIFICATE ends with an END line for PRIVATE KEY");
        byte[] random = new byte[700];
        new Random(42).nextBytes(random);
        random[0] = 0x17;
        refused(() -> store.importCertificates(random, null, ImportOptions.defaults(), "t"), "neither PEM nor DER");
        random[0] = 0x30;
        refused(() -> store.importCertificates(random, null, ImportOptions.defaults(), "t"),
                "neither a DER certificate nor a readable PKCS#12");
        refused(() -> store.importCertificates(new byte[0], null, ImportOptions.defaults(), "t"), "empty");
        refused(() -> store.importCertificates("hello".getBytes(StandardCharsets.US_ASCII), null,
                ImportOptions.defaults(), "t"), "neither PEM nor DER");
    }

    @Test
    void truncatedDer() throws Exception {
        byte[] der = store.export(leaf.id(), ExportFormat.DER, null, "t");
        byte[] cut = Arrays.copyOf(der, der.length - 30);
        refused(() -> store.importCertificates(cut, null, ImportOptions.defaults(), "t"),
                "neither a DER certificate nor a readable PKCS#12");
    }

    @Test
    void pkcs12WithTheWrongPassword() throws Exception {
        byte[] p12 = store.export(leaf.id(), ExportFormat.PKCS12, "right-password".toCharArray(), "t");
        refused(() -> store.importCertificates(p12, "wrong-password".toCharArray(), ImportOptions.defaults(), "t"),
                "the import: the password does not open this PKCS#12 file");
        byte[] caP12 = store.exportCa(ca.id(), ExportFormat.PKCS12, "right-password".toCharArray(), "t");
        refused(() -> store.importCa(caP12, null, "nope".toCharArray(), null, null, "t"),
                "the CA certificate: the password does not open this PKCS#12 file");
        // with the right password, the CA is already here: a duplicate
        refused(() -> store.importCa(caP12, null, "right-password".toCharArray(), null, null, "t"),
                "already in the store as CA " + ca.id());
    }

    @Test
    void signatureThatDoesNotVerifyAgainstTheNamedCa() throws Exception {
        // the foreign CA has the same name as ours, but another key
        refused(() -> store.importCertificates(foreignLeafPem, null, new ImportOptions(ca.id(), null, null), "t"),
                "does not verify against CA " + ca.id());
        // signed by our CA, but not in this store (issued by a copy of the CA elsewhere)
        byte[] ours;
        try (Stores copy = new Stores(dir.resolve("copy"), stores.clock)) {
            PkiStore c = copy.open();
            CaInfo caCopy = c.importCa(store.exportCa(ca.id(), ExportFormat.PKCS12, "pw-pw-pw-pw".toCharArray(), "t"),
                    null, "pw-pw-pw-pw".toCharArray(), null, null, "t");
            ours = c.export(c.issue(IssueRequest.of(caCopy.id(), Role.AGENT, "c.example.org"), "t").id(),
                    ExportFormat.PEM, null, "t");
        }
        refused(() -> store.importCertificates(ours, null, new ImportOptions(otherCa.id(), null, null), "t"),
                "does not verify against CA " + otherCa.id());
    }

    /** Found by the web fuzzer: an unpaired surrogate (JSON "\ud800") failed only while encoding, unexplained. */
    @Test
    void subjectWithAnUnpairedSurrogate() throws Exception {
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a2.example.org").withSubject("CN=\udfff\ud800"),
                "t"), "unpaired UTF-16 surrogate");
        refused(() -> store.createCa(CaRequest.of("CN=x\ud800"), "t"), "unpaired UTF-16 surrogate");
        refused(() -> store.issue(new IssueRequest(ca.id(), Role.AGENT, "a3.example.org", List.of(), null, "bad \ud800",
                null, null, null), "t"), "unpaired UTF-16 surrogate");
    }

    @Test
    void validityOutsideTheCas() throws Exception {
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.SERVER, "s.example.org")
                .withNotAfter(ca.notAfter().plusSeconds(1)), "t"), "must end inside the validity of CA " + ca.id(),
                ca.notAfter().toString());
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.SERVER, "s.example.org")
                .withNotAfter(stores.clock.instant().minusSeconds(5)), "t"), "must end in the future");
        stores.clock.advance(Duration.ofDays(400));
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.SERVER, "s.example.org"), "t"),
                "CA " + ca.id() + " expired on " + ca.notAfter());
    }

    @Test
    void unknownKeyTypeAndOtherBadRequests() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyType.parse("dsa-1024"));
        assertTrue(e.getMessage().contains("unknown key type 'dsa-1024'") && e.getMessage().contains("ec-p256"),
                e.getMessage());
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.MONITORED, "a.example.org"), "t"),
                "role must be SERVER, AGENT, PROXY or MDM");
        refused(() -> store.issue(IssueRequest.of(99, Role.AGENT, "a.example.org"), "t"), "no CA with id 99");
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.AGENT, "bad host!"), "t"),
                "'bad host!' is neither a DNS name");
        refused(() -> store.issue(IssueRequest.of(ca.id(), Role.AGENT, "a.example.org").withSubject("CN=x,FOO=bar"),
                "t"), "is not an X.500 name");
        refused(() -> store.createCa(CaRequest.of(" "), "t"), "subject is empty");
        refused(() -> store.export(leaf.id(), ExportFormat.PKCS12, new char[0], "t"), "needs a password");
        refused(() -> store.revoke(12345, null, "t"), "no certificate with id 12345");
    }

    /** Issue 14 (5): what the store has is reported and left alone; what is new is stored; ids go to what is stored. */
    @Test
    void knownCertificatesAreReportedAndTheRestIsImported() throws Exception {
        ImportResult first = store.importCertificates(foreignLeafPem, null, ImportOptions.defaults(), "t");
        assertEquals(1, first.imported().size());
        assertEquals(Role.MONITORED, first.imported().get(0).role());
        long firstId = first.imported().get(0).id();
        // the same file again: nothing new, nothing stored, no id used
        Map<String, Long> files = stores.snapshot();
        ImportResult again = store.importCertificates(foreignLeafPem, null, ImportOptions.defaults(), "t");
        assertEquals(List.of(), again.imported());
        assertEquals(1, again.alreadyPresent().size());
        assertEquals(firstId, again.alreadyPresent().get(0).certificateId());
        assertEquals("certificate " + firstId, again.alreadyPresent().get(0).where());
        assertEquals(files, stores.snapshot(), "files changed by an import of nothing new");
        // a bundle with a known certificate, a store CA and a new one: the new one is stored with the next id
        String caPem = new String(store.exportCa(ca.id(), ExportFormat.PEM, null, "t"), StandardCharsets.US_ASCII);
        CertificateInfo fresh = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "b.example.org"), "t");
        String freshPem = new String(store.export(fresh.id(), ExportFormat.PEM, null, "t"), StandardCharsets.US_ASCII);
        try (Stores other = new Stores(dir.resolve("other"), stores.clock)) {
            PkiStore second = other.open();
            second.importCa(store.exportCa(ca.id(), ExportFormat.PKCS12, "pw-pw-pw-pw".toCharArray(), "t"), null,
                    "pw-pw-pw-pw".toCharArray(), null, null, "t");
            // a refused import uses no id (the new leaf verifies against CA 1, the foreign one does not: the whole
            // file is refused, after the leaf had been checked)
            byte[] halfSigned = (freshPem + new String(foreignLeafPem, StandardCharsets.US_ASCII))
                    .getBytes(StandardCharsets.US_ASCII);
            CertificateStoreException e = assertThrows(CertificateStoreException.class, () -> second
                    .importCertificates(halfSigned, null, new ImportOptions(1L, null, null), "t"));
            assertTrue(e.getMessage().contains("does not verify against CA 1"), e.getMessage());
            assertEquals(1, second.importCertificates(foreignLeafPem, null, ImportOptions.defaults(), "t").imported()
                    .get(0).id(), "the refused import took no id");
            byte[] bundle = (new String(foreignLeafPem, StandardCharsets.US_ASCII) + caPem + freshPem + freshPem)
                    .getBytes(StandardCharsets.US_ASCII);
            ImportResult mixed = second.importCertificates(bundle, null, ImportOptions.defaults(), "t");
            assertEquals(List.of(fresh.fingerprint()), mixed.imported().stream().map(CertificateInfo::fingerprint)
                    .toList(), "only the new leaf is stored, once");
            assertEquals(2, mixed.imported().get(0).id(), "the leaf takes the id after the first import's");
            assertEquals(1, mixed.imported().get(0).caId(), "it links to the CA the store has");
            assertEquals(List.of("certificate 1", "CA 1"), mixed.alreadyPresent().stream()
                    .map(ImportResult.AlreadyPresent::where).toList());
            assertEquals("CN=Main CA", mixed.alreadyPresent().get(1).subject());
        }
    }

    /**
     * The DER entry: known certificates (one of them a CA here) are reported by fingerprint, the new one stored with
     * the next id, in the order given; a damaged one refuses the whole list, stores nothing and takes no id.
     */
    @Test
    void derListsOfKnownNewAndDamagedCertificates() throws Exception {
        byte[] known = store.export(leaf.id(), ExportFormat.DER, null, "t");
        byte[] caDer = store.exportCa(ca.id(), ExportFormat.DER, null, "t");
        byte[] foreign = java.util.Base64.getMimeDecoder().decode(new String(foreignLeafPem, StandardCharsets.US_ASCII)
                .replaceAll("-----[A-Z ]+-----", ""));
        byte[] damaged = Arrays.copyOf(known, known.length);
        damaged[damaged.length - 1] ^= 1; // its signature: parses, another fingerprint, new to the store
        byte[] truncated = Arrays.copyOf(foreign, foreign.length - 30);
        refused(() -> store.importDerCertificates(List.of(known, truncated), ImportOptions.defaults(), "t"),
                "the import holds a damaged certificate");
        refused(() -> store.importDerCertificates(List.of(), ImportOptions.defaults(), "t"), "holds no certificate");

        long nextId = store.certificates(CertificateQuery.all()).stream().mapToLong(CertificateInfo::id).max()
                .orElseThrow() + 1;
        ImportResult result = store.importDerCertificates(List.of(known, foreign, caDer, foreign),
                new ImportOptions(null, "from a list", null), "t");
        assertEquals(1, result.imported().size(), "the new one, once");
        CertificateInfo stored = result.imported().get(0);
        assertEquals(nextId, stored.id());
        assertEquals(org.certwatch.store.internal.pki.Pem.sha256(foreign), stored.fingerprint(), "stored as given");
        assertEquals("CN=x.example.org,OU=AGENT", stored.subject());
        assertEquals(List.of("x.example.org"), stored.subjectAltNames().stream().map(SubjectAltName::value).toList());
        assertEquals(List.of("certificate " + leaf.id(), "CA " + ca.id()), result.alreadyPresent().stream()
                .map(ImportResult.AlreadyPresent::where).toList());
        assertEquals(List.of(leaf.subject(), "CN=Main CA"), result.alreadyPresent().stream()
                .map(ImportResult.AlreadyPresent::subject).toList());
        // a damaged signature is new by its fingerprint, so it is parsed, and refused against the CA it names
        refused(() -> store.importDerCertificates(List.of(damaged), new ImportOptions(ca.id(), null, null), "t"),
                "does not verify against CA " + ca.id());
    }

    @Test
    void refusalsAreAudited() throws Exception {
        assertThrows(CertificateStoreException.class, () -> store.issue(IssueRequest.of(ca.id(), Role.SERVER,
                "s.example.org").withNotAfter(ca.notAfter().plusSeconds(1)), "alice"));
        assertTrue(stores.audit.list(new AuditQuery(null, null, "alice", "certificate.issue", null, 0)).get(0)
                .outcome().startsWith("refused: the validity"));
    }
}
