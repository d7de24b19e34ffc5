package org.certwatch.commons.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.testing.BerMutator;
import org.certwatch.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The one reader: every kind (PEM, DER, PKCS#12 by openssl, JKS, JCEKS) and hostile input, refused by its kind. */
class CertificateContainersTest {
    private static final char[] PASSWORD = "s3cret".toCharArray();
    private static final ContainerLimits LIMITS = ContainerLimits.DEFAULT;
    private final CertificateContainers reader = new CertificateContainers(new BouncyCastleProvider());
    @TempDir
    Path dir;

    private Container read(byte[] bytes, char[] password) {
        return reader.read(bytes, password, LIMITS, false, "f");
    }

    private static ContainerException refused(ContainerProblem problem, Executable call, String message) {
        ContainerException e = assertThrows(ContainerException.class, call);
        assertEquals(problem, e.problem(), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
        return e;
    }

    @Test
    void pemBundleKeepsEveryCertificateAsGivenInFileOrder() throws Exception {
        X509Certificate leaf = TestCertificates.selfSigned("leaf");
        X509Certificate ca = TestCertificates.selfSigned("ca");
        String text = "# a comment\nsubject=CN = leaf\n" + TestCertificates.pem(leaf, ca).replace("\n", "\r\n")
                + "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\ntrailing\n";
        Container c = read(text.getBytes(StandardCharsets.US_ASCII), null);
        assertEquals(1, c.entries().size());
        assertEquals(null, c.entries().get(0).alias());
        assertArrayEquals(leaf.getEncoded(), c.entries().get(0).chain().get(0));
        assertArrayEquals(ca.getEncoded(), c.entries().get(0).chain().get(1));
        assertEquals(ContainerKind.PEM, ContainerKind.of(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void derAndTrustedCertificatePem() throws Exception {
        X509Certificate leaf = TestCertificates.selfSigned("der");
        assertArrayEquals(leaf.getEncoded(), read(leaf.getEncoded(), null).certificates().get(0));
        assertEquals(ContainerKind.DER, ContainerKind.of(leaf.getEncoded()));
        // openssl's TRUSTED CERTIFICATE: the certificate followed by its trust settings
        byte[] trusted = Arrays.copyOf(leaf.getEncoded(), leaf.getEncoded().length + 4);
        System.arraycopy(new byte[] {0x30, 0x02, 0x05, 0x00}, 0, trusted, leaf.getEncoded().length, 4);
        String pem = "-----BEGIN TRUSTED CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(trusted)
                + "\n-----END TRUSTED CERTIFICATE-----\n";
        assertArrayEquals(leaf.getEncoded(), read(pem.getBytes(StandardCharsets.US_ASCII), null).certificates().get(0));
    }

    @Test
    void jceksAndKeysOnlyWhenAsked() throws Exception {
        byte[] jceks = TestCertificates.keyStore("JCEKS", PASSWORD, List.of("b", "a"));
        assertEquals(ContainerKind.JCEKS, ContainerKind.of(jceks));
        assertEquals(List.of("a", "b"), read(jceks, PASSWORD).entries().stream().map(Container.Entry::alias).toList());
        TestCertificates.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=keys.example");
        byte[] both = (Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("key.pem")))
                .getBytes(StandardCharsets.US_ASCII);
        assertEquals(List.of(), read(both, null).keys(), "keys stay unread unless asked for");
        assertEquals(1, reader.read(both, null, LIMITS, true, "f").keys().size());
        TestCertificates.openssl(dir, "pkcs8", "-topk8", "-in", "key.pem", "-out", "key.der", "-outform", "DER",
                "-nocrypt");
        assertEquals(1, reader.read(Files.readAllBytes(dir.resolve("key.der")), null, LIMITS, true, "f").keys()
                .size(), "a DER PKCS#8 key");
    }

    @Test
    void truncatedGarbageAndMismatchedInputIsCorrupt() throws Exception {
        refused(ContainerProblem.EMPTY, () -> read(new byte[0], null), "f is empty");
        refused(ContainerProblem.CORRUPT, () -> read("hello, world\n".getBytes(StandardCharsets.US_ASCII), null),
                "f is neither PEM nor DER");
        byte[] der = TestCertificates.selfSigned("t").getEncoded();
        refused(ContainerProblem.CORRUPT, () -> read(Arrays.copyOf(der, der.length / 2), null),
                "f is neither a DER certificate nor a readable PKCS#12 file");
        String pem = TestCertificates.pem(TestCertificates.selfSigned("t"));
        refused(ContainerProblem.CORRUPT, () -> read(pem.substring(0, pem.length() / 2)
                .getBytes(StandardCharsets.US_ASCII), null), "f is truncated PEM: 1 BEGIN line(s) but 0 END line(s)");
        refused(ContainerProblem.CORRUPT, () -> read(("-----BEGIN CERTIFICATE-----\nMIIBbzCB\n-----END CERTIFICATE-----"
                + "\n").getBytes(StandardCharsets.US_ASCII), null),
                "f: not a certificate: the PEM block CERTIFICATE is damaged (its DER encoding is invalid)");
        refused(ContainerProblem.CORRUPT, () -> read(("-----BEGIN CERTIFICATE-----\nMII*BbzCB\n-----END CERTIFICATE-----"
                + "\n").getBytes(StandardCharsets.US_ASCII), null), "its base64 text is invalid");
        refused(ContainerProblem.CORRUPT, () -> read(("-----BEGIN CERTIFICATE-----\nMIIB\n-----END PRIVATE KEY-----\n")
                .getBytes(StandardCharsets.US_ASCII), null), "the PEM block CERTIFICATE ends with an END line for PRIVATE KEY");
        refused(ContainerProblem.EMPTY, () -> read("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.US_ASCII), null), "f: PEM without a certificate");
        byte[] random = new byte[700];
        new Random(42).nextBytes(random);
        random[0] = 0x30;
        refused(ContainerProblem.CORRUPT, () -> read(random, null), "neither a DER certificate nor a readable PKCS#12");
        byte[] jks = TestCertificates.keyStore("JKS", PASSWORD, List.of("a"));
        refused(ContainerProblem.CORRUPT, () -> read(Arrays.copyOf(jks, jks.length - 40), null),
                "f is a damaged Java keystore");
    }

    @Test
    void pkcs12MadeByOpensslGivesOneEntryPerAliasWithItsChain() throws Exception {
        TestCertificates.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=p12.example");
        TestCertificates.openssl(dir, "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-name", "web",
                "-out", "site.bin", "-passout", "pass:s3cret");
        byte[] p12 = Files.readAllBytes(dir.resolve("site.bin"));
        assertEquals(ContainerKind.PKCS12, ContainerKind.of(p12));
        Container c = read(p12, PASSWORD);
        assertEquals(List.of("web"), c.entries().stream().map(Container.Entry::alias).toList());
        String pem = Files.readString(dir.resolve("cert.pem"));
        assertTrue(pem.contains(Base64.getEncoder().encodeToString(c.entries().get(0).chain().get(0)).substring(0, 60)));
        assertEquals(1, reader.read(p12, PASSWORD, LIMITS, true, "f").keys().size(), "its key, when asked for");
    }

    /** Bouncy Castle (the store's export) writes a PFX with indefinite lengths; openssl's tests and ours are DER. */
    @Test
    void kindOfIndefiniteLengthAndShortStructures() throws Exception {
        byte[] berPfx = {0x30, (byte) 0x80, 0x02, 0x01, 0x03, 0x00, 0x00};
        assertEquals(ContainerKind.PKCS12, ContainerKind.of(berPfx));
        assertEquals(ContainerKind.DER, ContainerKind.of(new byte[] {0x30, 0x45, 0x30, 0x43}));
        assertEquals(ContainerKind.UNKNOWN, ContainerKind.of(new byte[] {0x30, (byte) 0x85, 1, 2, 3, 4, 5, 0x30}));
    }

    @Test
    void pkcs12WithCertificatesOnlyIsReadToo() throws Exception {
        TestCertificates.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=trust.example");
        TestCertificates.openssl(dir, "pkcs12", "-export", "-nokeys", "-in", "cert.pem", "-out", "trust.p12",
                "-passout", "pass:s3cret");
        Container c = read(Files.readAllBytes(dir.resolve("trust.p12")), PASSWORD);
        assertEquals(List.of("cert-1"), c.entries().stream().map(Container.Entry::alias).toList());
    }

    @Test
    void wrongOrMissingPasswordIsWrongPassword() throws Exception {
        TestCertificates.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=p12.example");
        TestCertificates.openssl(dir, "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "site.p12",
                "-passout", "pass:s3cret");
        byte[] p12 = Files.readAllBytes(dir.resolve("site.p12"));
        refused(ContainerProblem.WRONG_PASSWORD, () -> read(p12, "nope".toCharArray()),
                "f: the password does not open this PKCS#12 file");
        refused(ContainerProblem.WRONG_PASSWORD, () -> read(p12, null), "f: this PKCS#12 file needs a password");

        byte[] jks = TestCertificates.jksWithKey(PASSWORD, TestCertificates.selfSigned("web"),
                TestCertificates.selfSigned("ca"));
        refused(ContainerProblem.WRONG_PASSWORD, () -> read(jks, "nope".toCharArray()),
                "f: the password does not open this Java keystore");
    }

    @Test
    void jksListsEveryAliasAndNeedsNoPasswordForCertificates() throws Exception {
        X509Certificate web = TestCertificates.selfSigned("web");
        byte[] jks = TestCertificates.jksWithKey(PASSWORD, web, TestCertificates.selfSigned("ca"));
        assertEquals(ContainerKind.JKS, ContainerKind.of(jks));
        for (char[] password : new char[][] {PASSWORD, null}) {
            Container c = read(jks, password);
            assertEquals(List.of("ca", "web"), c.entries().stream().map(Container.Entry::alias).toList());
            assertArrayEquals(web.getEncoded(), c.entries().get(1).chain().get(0));
        }
    }

    @Test
    void tenThousandAliasesAreTooLargeWithinBoundedTime() throws Exception {
        List<String> aliases = IntStream.range(0, 10_000).mapToObj(i -> "a" + i).toList();
        byte[] jks = TestCertificates.keyStore("JKS", PASSWORD, aliases);
        byte[] p12 = TestCertificates.keyStore("PKCS12", PASSWORD, aliases.subList(0, 1001));
        long started = System.nanoTime();
        // by the size bound first (a 10,000-alias store is megabytes) …
        refused(ContainerProblem.TOO_LARGE, () -> reader.read(jks, PASSWORD, new ContainerLimits(1024 * 1024, 1000,
                1000), false, "f"), "bytes, more than the 1048576 allowed");
        // … and by the alias bound when the bytes are allowed
        ContainerLimits large = new ContainerLimits(64 * 1024 * 1024, 1000, 1000);
        refused(ContainerProblem.TOO_LARGE, () -> reader.read(jks, PASSWORD, large, false, "f"),
                "f: 10000 aliases, more than the 1000 allowed");
        // a PKCS#12 is read bag by bag: the first bound it crosses stops it
        refused(ContainerProblem.TOO_LARGE, () -> reader.read(p12, PASSWORD, large, false, "f"),
                "f: more than the 1000 certificates allowed");
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(60).toNanos());
    }

    @Test
    void mutatedCertificatesAndKeystoresNeverEscapeAsOtherExceptions() throws Exception {
        long seed = Long.getLong("certwatch.fuzz.seed", System.nanoTime());
        System.out.println("CertificateContainersTest fuzz seed " + seed + " (replay: -Dcertwatch.fuzz.seed=" + seed
                + ")");
        BerMutator mutator = new BerMutator(new Random(seed), 64 * 1024);
        byte[] der = TestCertificates.selfSigned("fuzz").getEncoded();
        byte[] p12 = TestCertificates.keyStore("PKCS12", PASSWORD, List.of("a", "b"));
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            BerMutator.Mutant m = mutator.mutate(i % 2 == 0 ? der : p12);
            try {
                read(m.bytes(), PASSWORD);
            } catch (ContainerException e) {
                assertTrue(e.getMessage().startsWith("f"), m.what() + ": " + e.getMessage());
            }
        }
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(120).toNanos(), "seed " + seed);
    }
}
