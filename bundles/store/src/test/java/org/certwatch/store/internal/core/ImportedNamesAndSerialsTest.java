package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.OpenSslText;
import org.certwatch.api.store.SubjectAltName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Issue 14 (4, 11): an imported certificate keeps every subjectAltName, across restarts; serials, fingerprints
 * and names read as openssl prints them, for serials with and without a leading zero octet.
 */
class ImportedNamesAndSerialsTest {
    private static final String SANS = "DNS:*.edge.example,IP:192.0.2.7,IP:2001:DB8::7,email:ops@edge.example,"
            + "URI:https://edge.example/status,DNS:edge.example";

    @TempDir
    Path dir;

    /** A self-signed certificate made by openssl with this serial (openssl's -set_serial syntax) and the SANs. */
    private Path opensslCertificate(String name, String serial, String sans) throws Exception {
        Path cert = dir.resolve(name + ".pem");
        List<String> args = new ArrayList<>(List.of("req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", dir.resolve(name + ".key").toString(), "-out",
                cert.toString(), "-days", "30", "-subj", "/CN=" + name, "-set_serial", serial));
        if (sans != null) {
            args.addAll(List.of("-addext", "subjectAltName=" + sans));
        }
        OpenSsl.Result r = OpenSsl.run(dir, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return cert;
    }

    private String openssl(Path cert, String... what) throws Exception {
        List<String> args = new ArrayList<>(List.of("x509", "-in", cert.toString(), "-noout"));
        args.addAll(List.of(what));
        OpenSsl.Result r = OpenSsl.run(dir, args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.output());
        return r.output().strip();
    }

    @ParameterizedTest
    @EnumSource(Stores.Backend.class)
    void importedCertificatesKeepEverySubjectAltNameAcrossRestarts(Stores.Backend backend) throws Exception {
        Path cert = opensslCertificate("edge", "1001", SANS);
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime(), backend)) {
            PkiStore store = stores.open();
            CertificateInfo c = store.importCertificates(Files.readAllBytes(cert), null, ImportOptions.defaults(), "t")
                    .imported().get(0);
            List<SubjectAltName> expected = List.of(SubjectAltName.dns("*.edge.example"), SubjectAltName.ip("192.0.2.7"),
                    SubjectAltName.ip("2001:db8::7"), new SubjectAltName(SubjectAltName.Type.EMAIL, "ops@edge.example"),
                    new SubjectAltName(SubjectAltName.Type.URI, "https://edge.example/status"),
                    SubjectAltName.dns("edge.example"));
            assertEquals(expected, c.subjectAltNames());
            assertEquals("*.edge.example", c.host());
            assertEquals(List.of("192.0.2.7", "2001:db8::7", "edge.example"), c.alternativeNames());
            // the page's text is openssl's: "DNS:*.edge.example, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7, …"
            String opensslText = openssl(cert, "-ext", "subjectAltName").lines().skip(1).findFirst().orElseThrow().strip();
            assertEquals(opensslText, SubjectAltName.openssl(c.subjectAltNames()));
            assertTrue(opensslText.startsWith("DNS:*.edge.example, IP Address:192.0.2.7, IP Address:2001:DB8:0:0:0:0:0:7"),
                    opensslText);
            store.close();
            CertificateInfo reopened = stores.open().certificate(c.id()).orElseThrow();
            assertEquals(c, reopened, "names kept across a restart");
        }
    }

    @ParameterizedTest
    @EnumSource(Stores.Backend.class)
    void issuedCertificatesListTheirSubjectAltNamesAsOpensslDoes(Stores.Backend backend) throws Exception {
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime(), backend)) {
            PkiStore store = stores.open();
            CaInfo ca = store.createCa(CaRequest.of("CN=Names CA"), "t");
            CertificateInfo c = store.issue(new IssueRequest(ca.id(), Role.SERVER, "*", List.of("www.example.org",
                    "2001:DB8:0::1", "10.1.2.3"), null, null, null, null, null), "t");
            Path file = dir.resolve("issued.pem");
            Files.write(file, store.export(c.id(), ExportFormat.PEM, null, "t"));
            assertEquals(List.of(SubjectAltName.dns("www.example.org"), SubjectAltName.ip("2001:db8::1"),
                    SubjectAltName.ip("10.1.2.3")), c.subjectAltNames());
            assertEquals(openssl(file, "-ext", "subjectAltName").lines().skip(1).findFirst().orElseThrow().strip(),
                    SubjectAltName.openssl(c.subjectAltNames()));
        }
    }

    /** 0x80 and 0x03E9 have a leading zero octet in one of the two spellings; 20-octet serials in both halves. */
    @Test
    void serialsAndFingerprintsReadAsOpensslPrintsThem() throws Exception {
        Random random = new Random();
        byte[] low = new byte[20];
        random.nextBytes(low);
        low[0] = (byte) random.nextInt(0x10); // 0x00..0x0F: openssl keeps one leading zero digit, or drops 00
        byte[] high = low.clone();
        high[0] = (byte) (0x80 | random.nextInt(0x80)); // DER needs a leading zero octet, openssl does not print it
        List<String> serials = List.of("0x80", "0x03E9", "0x7F", "0x0100", "0x" + HexFormat.of().formatHex(low),
                "0x" + HexFormat.of().formatHex(high));
        System.out.println("ImportedNamesAndSerialsTest: serials " + serials);
        try (Stores stores = new Stores(dir.resolve("data"), SettableClock.atSystemTime())) {
            PkiStore store = stores.open();
            int n = 0;
            for (String serial : serials) {
                Path cert = opensslCertificate("serial-" + n++, serial, null);
                CertificateInfo c = store.importCertificates(Files.readAllBytes(cert), null, ImportOptions.defaults(),
                        "t").imported().get(0);
                assertEquals(openssl(cert, "-serial"), "serial=" + OpenSslText.serial(c.serial()), serial);
                assertEquals(openssl(cert, "-fingerprint", "-sha256"),
                        "sha256 Fingerprint=" + OpenSslText.fingerprint(c.fingerprint()), serial);
                assertEquals(List.of(), c.subjectAltNames());
                assertEquals("serial-" + (n - 1), c.host(), "without subjectAltName, the common name");
            }
        }
    }
}
