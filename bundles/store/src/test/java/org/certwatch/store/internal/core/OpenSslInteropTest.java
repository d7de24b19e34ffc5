package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.KeyType;
import org.certwatch.api.store.RevocationReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Everything the store writes, checked with the real openssl binary. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenSslInteropTest {
    private Path dir;
    private Stores stores;
    private PkiStore store;
    private final List<CaInfo> cas = new ArrayList<>();
    private final List<CertificateInfo> issued = new ArrayList<>();

    @BeforeAll
    void createPki(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime());
        store = stores.open();
        for (KeyType type : KeyType.values()) {
            CaInfo ca = store.createCa(new CaRequest("CN=Test CA " + type + ",O=Prüfstelle Köln", type,
                    Duration.ofDays(3650), "CA with " + type, null), "tester");
            cas.add(ca);
            // every CA issues every role; the key types rotate so each type also appears as a leaf
            Role[] roles = {Role.SERVER, Role.AGENT, Role.PROXY, Role.MDM};
            for (int i = 0; i < roles.length; i++) {
                KeyType leafType = i == 0 ? KeyType.EC_P256 : i == 1 ? KeyType.ED25519 : i == 2 ? KeyType.EC_P384
                        : type == KeyType.RSA_4096 ? KeyType.RSA_2048 : KeyType.EC_P256;
                issued.add(store.issue(new IssueRequest(ca.id(), roles[i], i == 0 ? "*" : "host" + i + ".example.org",
                        List.of("10.0.0." + (i + 1)), i == 3 ? "CN=Gerät Müller-Lüdenscheidt,O=Ärzte & Söhne" : null,
                        "leaf " + i, null, leafType, null), "tester"));
            }
        }
    }

    @AfterAll
    void close() throws Exception {
        stores.close();
    }

    private Path write(String name, byte[] content) throws Exception {
        Path file = dir.resolve(name);
        Files.write(file, content);
        return file;
    }

    @Test
    void verifyAcceptsEveryIssuedChain() throws Exception {
        store.awaitFiles();
        for (CertificateInfo c : issued) {
            Path ca = write("ca-" + c.caId() + ".pem", store.exportCa(c.caId(), ExportFormat.PEM, null, "tester"));
            Path leaf = write("leaf-" + c.id() + ".pem", store.export(c.id(), ExportFormat.PEM, null, "tester"));
            OpenSsl.Result r = OpenSsl.run(dir, "verify", "-CAfile", ca.toString(), leaf.toString());
            assertEquals(0, r.exit(), c + "\n" + r.output());
            assertTrue(r.output().contains(": OK"), r.output());
            // the stored PEM file itself is what an admin reads
            Path stored = stores.folder().resolve(String.format("certs/%03d/%d.pem", c.id() / 1000, c.id()));
            assertEquals(0, OpenSsl.run(dir, "verify", "-CAfile", ca.toString(), stored.toString()).exit());
            String purpose = c.role() == Role.SERVER ? "sslserver" : "sslclient";
            assertEquals(0, OpenSsl.run(dir, "verify", "-purpose", purpose, "-CAfile", ca.toString(),
                    leaf.toString()).exit(), "purpose " + purpose + " for " + c);
        }
    }

    @Test
    void certificatesCarryThePromisedExtensions() throws Exception {
        CertificateInfo server = issued.get(0);
        Path leaf = write("ext.pem", store.export(server.id(), ExportFormat.PEM, null, "t"));
        String text = OpenSsl.run(dir, "x509", "-in", leaf.toString(), "-noout", "-text").output();
        assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
        assertTrue(text.contains("IP Address:10.0.0.1"), text);
        assertTrue(!text.contains("DNS:*"), "host * adds no name: " + text);
        assertTrue(text.contains("URI:https://localhost:8443/crl/" + server.caId() + ".crl"), text);
        assertTrue(text.contains("CA:FALSE"), text);
        String serial = OpenSsl.run(dir, "x509", "-in", leaf.toString(), "-noout", "-serial").output();
        assertEquals(server.serial().toString(16).toUpperCase(Locale.ROOT), serial.strip().substring(7)
                .replaceFirst("^0+", ""));
        assertEquals(159, server.serial().bitLength());
        Path ca = write("ext-ca.pem", store.exportCa(server.caId(), ExportFormat.PEM, null, "t"));
        String caText = OpenSsl.run(dir, "x509", "-in", ca.toString(), "-noout", "-text").output();
        assertTrue(caText.contains("CA:TRUE, pathlen:0"), caText);
        assertTrue(caText.contains("Certificate Sign, CRL Sign"), caText);
        assertTrue(caText.contains("Subject Key Identifier") && caText.contains("Authority Key Identifier"), caText);
        CertificateInfo umlauts = issued.get(3);
        Path u = write("umlaut.pem", store.export(umlauts.id(), ExportFormat.PEM, null, "t"));
        String subject = OpenSsl.run(dir, "x509", "-in", u.toString(), "-noout", "-subject", "-nameopt", "utf8")
                .output();
        assertTrue(subject.contains("Gerät Müller-Lüdenscheidt") && subject.contains("Ärzte & Söhne"), subject);
        // notBefore is backdated by the clock-skew margin (1 day)
        assertTrue(server.notBefore().isBefore(stores.clock.instant().minus(Duration.ofHours(23))));
    }

    @Test
    void pkcs12InfoReadsEveryExport() throws Exception {
        for (CertificateInfo c : issued.subList(0, 8)) {
            Path p12 = write("c" + c.id() + ".p12", store.export(c.id(), ExportFormat.PKCS12,
                    "export-pw".toCharArray(), "tester"));
            OpenSsl.Result r = OpenSsl.run(dir, "pkcs12", "-info", "-in", p12.toString(), "-passin", "pass:export-pw",
                    "-nodes");
            assertEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("AES-256-CBC") || r.output().contains("aes-256-cbc"), r.output());
            assertTrue(r.output().contains("PRIVATE KEY") && r.output().contains("BEGIN CERTIFICATE"), r.output());
            OpenSsl.Result wrong = OpenSsl.run(dir, "pkcs12", "-info", "-in", p12.toString(), "-passin", "pass:nope",
                    "-nodes");
            assertNotEquals(0, wrong.exit());
        }
        Path caP12 = write("ca.p12", store.exportCa(cas.get(0).id(), ExportFormat.PKCS12, "pw".toCharArray(), "t"));
        assertEquals(0, OpenSsl.run(dir, "pkcs12", "-info", "-in", caP12.toString(), "-passin", "pass:pw", "-nodes")
                .exit());
        assertTrue(stores.audit.list(org.certwatch.api.audit.AuditQuery.all()).stream()
                .anyMatch(e -> e.action().equals("ca.export-key") && e.outcome().startsWith("ok")));
    }

    @Test
    void crlVerifiesAndListsRevokedSerials() throws Exception {
        for (CaInfo ca : cas.subList(0, 3)) {
            List<CertificateInfo> mine = issued.stream().filter(c -> c.caId() == ca.id()).toList();
            store.revoke(mine.get(1).id(), RevocationReason.KEY_COMPROMISE, "tester");
            store.revoke(mine.get(2).id(), RevocationReason.SUPERSEDED, "tester");
            Path caPem = write("crlca" + ca.id() + ".pem", store.exportCa(ca.id(), ExportFormat.PEM, null, "t"));
            for (boolean pem : new boolean[] {true, false}) {
                Path crl = write("crl" + ca.id() + (pem ? ".pem" : ".der"), store.crl(ca.id(), pem));
                OpenSsl.Result r = OpenSsl.run(dir, "crl", "-verify", "-in", crl.toString(), "-inform",
                        pem ? "PEM" : "DER", "-CAfile", caPem.toString(), "-noout", "-text");
                assertEquals(0, r.exit(), r.output());
                assertTrue(r.output().contains("verify OK"), r.output());
                assertTrue(r.output().contains("Next Update"), r.output());
                assertTrue(r.output().contains("X509v3 CRL Number"), r.output());
                for (CertificateInfo c : mine.subList(1, 3)) {
                    String hex = c.serial().toString(16).toUpperCase(Locale.ROOT);
                    assertTrue(r.output().contains(hex), hex + " missing in\n" + r.output());
                }
                assertTrue(r.output().contains("Key Compromise") && r.output().contains("Superseded"), r.output());
                String kept = mine.get(0).serial().toString(16).toUpperCase(Locale.ROOT);
                assertTrue(!r.output().contains(kept));
            }
            // the revoked leaf fails verification once the CRL is consulted
            Path leaf = write("rev" + mine.get(1).id() + ".pem", store.export(mine.get(1).id(), ExportFormat.PEM,
                    null, "t"));
            Path crl = write("crlv" + ca.id() + ".pem", store.crl(ca.id(), true));
            OpenSsl.Result r = OpenSsl.run(dir, "verify", "-crl_check", "-CAfile", caPem.toString(), "-CRLfile",
                    crl.toString(), leaf.toString());
            assertNotEquals(0, r.exit(), r.output());
            assertTrue(r.output().contains("revoked"), r.output());
        }
    }

    @Test
    void checkendAgreesWithOurExpiry() throws Exception {
        Instant now = Instant.now();
        for (CertificateInfo c : issued.subList(0, 6)) {
            Path leaf = write("end" + c.id() + ".pem", store.export(c.id(), ExportFormat.PEM, null, "t"));
            long secondsLeft = Duration.between(now, c.notAfter()).getSeconds();
            // a warning window shorter than what is left: VALID, and openssl says it will not expire
            assertEquals(ExpiryStatus.VALID, c.expiryStatus(now, Duration.ofSeconds(secondsLeft - 120)));
            assertEquals(0, OpenSsl.run(dir, "x509", "-in", leaf.toString(), "-noout", "-checkend",
                    Long.toString(secondsLeft - 120)).exit());
            assertEquals(ExpiryStatus.EXPIRING, c.expiryStatus(now, Duration.ofSeconds(secondsLeft + 120)));
            assertEquals(1, OpenSsl.run(dir, "x509", "-in", leaf.toString(), "-noout", "-checkend",
                    Long.toString(secondsLeft + 120)).exit());
        }
        // an already expired certificate: issued while the clock stood 60 days back
        SettableClock past = new SettableClock(now.minus(Duration.ofDays(60)));
        try (Stores old = new Stores(dir.resolve("past"), past)) {
            PkiStore s = old.open();
            CaInfo ca = s.createCa(CaRequest.of("CN=Past CA"), "t");
            CertificateInfo c = s.issue(IssueRequest.of(ca.id(), Role.AGENT, "old.example.org")
                    .withNotAfter(now.minus(Duration.ofDays(1))), "t");
            Path leaf = write("expired.pem", s.export(c.id(), ExportFormat.PEM, null, "t"));
            assertEquals(ExpiryStatus.EXPIRED, c.expiryStatus(now, Duration.ofDays(30)));
            assertEquals(1, OpenSsl.run(dir, "x509", "-in", leaf.toString(), "-noout", "-checkend", "0").exit());
        }
    }

    @Test
    void pkeyReadsEveryEncryptedKeyWithThePasswordOnly() throws Exception {
        store.awaitFiles();
        List<Path> keys;
        try (var walk = Files.walk(stores.folder())) {
            keys = walk.filter(p -> p.toString().endsWith(".key")).toList();
        }
        assertTrue(keys.size() >= cas.size() + issued.size(), "keys: " + keys.size());
        for (Path key : keys) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), key.toString());
            String pem = Files.readString(key, StandardCharsets.US_ASCII);
            assertTrue(pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"), key.toString());
            OpenSsl.Result r = OpenSsl.run(dir, "pkey", "-in", key.toString(), "-passin", "pass:" + Stores.PASSWORD,
                    "-noout");
            assertEquals(0, r.exit(), key + ": " + r.output());
        }
        Path one = keys.get(0);
        assertNotEquals(0, OpenSsl.run(dir, "pkey", "-in", one.toString(), "-passin", "pass:wrong", "-noout").exit());
        String params = OpenSsl.run(dir, "asn1parse", "-in", one.toString()).output();
        assertTrue(params.contains("PBES2") && params.contains("PBKDF2") && params.contains("hmacWithSHA256")
                && params.contains("aes-256-cbc") && params.contains(":0927C0"), "600,000 iterations:\n" + params);
    }
}
