package org.certwatch.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.source.files.internal.FileContent.Certificates;
import org.certwatch.source.files.internal.FileContent.Failure;
import org.certwatch.testing.BerMutator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReaderTest {
    private static final char[] PASSWORD = "s3cret".toCharArray();
    private final CertificateReader reader = new CertificateReader(new BouncyCastleProvider(), Bounds.DEFAULT);
    @TempDir
    Path dir;

    @Test
    void pemBundleKeepsEveryCertificateInFileOrder() throws Exception {
        X509Certificate leaf = Certs.selfSigned("leaf");
        X509Certificate ca = Certs.selfSigned("ca");
        Path file = dir.resolve("bundle.crt");
        Files.writeString(file, "# a comment before\n" + Certs.pem(leaf, ca) + "trailing text\n");

        Certificates c = assertInstanceOf(Certificates.class, reader.read(file, null));
        assertEquals(1, c.entries().size());
        assertEquals(null, c.entries().get(0).alias());
        assertArrayEquals(leaf.getEncoded(), c.entries().get(0).chain().get(0));
        assertArrayEquals(ca.getEncoded(), c.entries().get(0).chain().get(1));
    }

    @Test
    void kindComesFromTheContentNotTheName() throws Exception {
        X509Certificate leaf = Certs.selfSigned("der");
        Path file = dir.resolve("looks-like.pem");
        Files.write(file, leaf.getEncoded());

        Certificates c = assertInstanceOf(Certificates.class, reader.read(file, null));
        assertArrayEquals(leaf.getEncoded(), c.entries().get(0).chain().get(0));
    }

    @Test
    void pkcs12MadeByOpensslGivesOneEntryPerAliasWithItsChain() throws Exception {
        Certs.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=p12.example");
        Certs.openssl(dir, "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-name", "web",
                "-out", "site.bin", "-passout", "pass:s3cret");

        Certificates c = assertInstanceOf(Certificates.class, reader.read(dir.resolve("site.bin"), PASSWORD));
        assertEquals(List.of("web"), c.entries().stream().map(FileContent.Entry::alias).toList());
        String pem = Files.readString(dir.resolve("cert.pem"));
        assertTrue(pem.contains(java.util.Base64.getEncoder().encodeToString(c.entries().get(0).chain().get(0))
                .substring(0, 60)));
    }

    @Test
    void pkcs12WithCertificatesOnlyIsReadToo() throws Exception {
        Certs.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=trust.example");
        Certs.openssl(dir, "pkcs12", "-export", "-nokeys", "-in", "cert.pem", "-out", "trust.p12",
                "-passout", "pass:s3cret");

        FileContent read = reader.read(dir.resolve("trust.p12"), PASSWORD);
        Certificates c = assertInstanceOf(Certificates.class, read, read.toString());
        assertEquals(List.of("cert-1"), c.entries().stream().map(FileContent.Entry::alias).toList());
    }

    @Test
    void wrongOrMissingPasswordIsWrongPassword() throws Exception {
        Certs.openssl(dir, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "key.pem", "-out", "cert.pem", "-days", "30", "-subj", "/CN=p12.example");
        Certs.openssl(dir, "pkcs12", "-export", "-inkey", "key.pem", "-in", "cert.pem", "-out", "site.p12",
                "-passout", "pass:s3cret");
        Path p12 = dir.resolve("site.p12");

        Failure wrong = assertInstanceOf(Failure.class, reader.read(p12, "nope".toCharArray()));
        assertEquals(LocationFailure.WRONG_PASSWORD, wrong.failure());
        assertEquals(p12 + ": PKCS#12 keystore: wrong password", wrong.reason());
        Failure none = assertInstanceOf(Failure.class, reader.read(p12, null));
        assertEquals(LocationFailure.WRONG_PASSWORD, none.failure());
        assertTrue(none.reason().contains("needs a password"), none.reason());

        Path jks = dir.resolve("site.jks");
        Files.write(jks, Certs.jksWithKey(PASSWORD, Certs.selfSigned("web"), Certs.selfSigned("ca")));
        assertEquals(LocationFailure.WRONG_PASSWORD,
                assertInstanceOf(Failure.class, reader.read(jks, "nope".toCharArray())).failure());
    }

    @Test
    void jksListsEveryAliasAndNeedsNoPasswordForCertificates() throws Exception {
        X509Certificate web = Certs.selfSigned("web");
        Path jks = dir.resolve("store");
        Files.write(jks, Certs.jksWithKey(PASSWORD, web, Certs.selfSigned("ca")));

        for (char[] password : new char[][] {PASSWORD, null}) {
            Certificates c = assertInstanceOf(Certificates.class, reader.read(jks, password));
            assertEquals(List.of("ca", "web"), c.entries().stream().map(FileContent.Entry::alias).toList());
            assertArrayEquals(web.getEncoded(), c.entries().get(1).chain().get(0));
        }
    }

    @Test
    void tenThousandAliasesAreTooLargeWithinBoundedTime() throws Exception {
        List<String> aliases = IntStream.range(0, 10_000).mapToObj(i -> "a" + i).toList();
        Path jks = dir.resolve("many.jks");
        Files.write(jks, Certs.keyStore("JKS", PASSWORD, aliases));
        Path p12 = dir.resolve("many.p12");
        Files.write(p12, Certs.keyStore("PKCS12", PASSWORD, aliases.subList(0, 1001)));

        long started = System.nanoTime();
        // by the size bound first (a 10,000-alias store is megabytes) …
        Bounds small = new Bounds(Bounds.DEFAULT.rescanInterval(), Duration.ZERO, 1024 * 1024, 1000, 1000, 10);
        reader.bounds(small);
        Failure bySize = assertInstanceOf(Failure.class, reader.read(jks, PASSWORD));
        assertEquals(LocationFailure.TOO_LARGE, bySize.failure());
        assertTrue(bySize.reason().contains("max.file.bytes"), bySize.reason());
        // … and by the alias bound when the bytes are allowed
        reader.bounds(new Bounds(Bounds.DEFAULT.rescanInterval(), Duration.ZERO, 64 * 1024 * 1024, 1000, 1000, 10));
        Failure byAliases = assertInstanceOf(Failure.class, reader.read(jks, PASSWORD));
        assertEquals(LocationFailure.TOO_LARGE, byAliases.failure());
        assertEquals(jks + ": 10000 aliases, more than max.aliases (1000)", byAliases.reason());
        // a PKCS#12 is read bag by bag: the first bound it crosses stops it
        Failure p12Aliases = assertInstanceOf(Failure.class, reader.read(p12, PASSWORD));
        assertEquals(LocationFailure.TOO_LARGE, p12Aliases.failure());
        assertEquals(p12 + ": more than max.certificates (1000) certificates", p12Aliases.reason());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(60).toNanos());
    }

    @Test
    void emptyGarbageTruncatedAndKeyOnlyFilesAreNamedFailures() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        assertEquals(LocationFailure.EMPTY, assertInstanceOf(Failure.class, reader.read(empty, null)).failure());

        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "hello, world\n");
        Failure g = assertInstanceOf(Failure.class, reader.read(garbage, null));
        assertEquals(LocationFailure.CORRUPT, g.failure());
        assertEquals(garbage + ": not a certificate, PEM bundle, PKCS#12 or JKS keystore", g.reason());

        byte[] der = Certs.selfSigned("t").getEncoded();
        Path truncated = Files.write(dir.resolve("truncated.der"), java.util.Arrays.copyOf(der, der.length / 2));
        assertEquals(LocationFailure.CORRUPT, assertInstanceOf(Failure.class, reader.read(truncated, null)).failure());

        String pem = Certs.pem(Certs.selfSigned("t"));
        Path cut = Files.writeString(dir.resolve("cut.pem"), pem.substring(0, pem.length() / 2));
        assertEquals(LocationFailure.EMPTY, assertInstanceOf(Failure.class, reader.read(cut, null)).failure());

        Path keyOnly = Files.writeString(dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Failure k = assertInstanceOf(Failure.class, reader.read(keyOnly, null));
        assertEquals(LocationFailure.EMPTY, k.failure());
        assertEquals(keyOnly + ": PEM without a certificate", k.reason());

        Path missing = dir.resolve("missing.pem");
        assertEquals(LocationFailure.MISSING, assertInstanceOf(Failure.class, reader.read(missing, null)).failure());
    }

    @Test
    void symlinkLoopIsUnreadableWithoutHanging() throws Exception {
        Path loop = dir.resolve("loop.pem");
        Files.createSymbolicLink(loop, loop);
        Failure f = assertInstanceOf(Failure.class, reader.read(loop, null));
        assertEquals(LocationFailure.UNREADABLE, f.failure());
        assertTrue(f.reason().startsWith(loop.toString()), f.reason());
    }

    @Test
    void mutatedCertificatesAndKeystoresNeverEscapeAsExceptions() throws Exception {
        long seed = Long.getLong("certwatch.fuzz.seed", System.nanoTime());
        System.out.println("CertificateReaderTest fuzz seed " + seed + " (replay: -Dcertwatch.fuzz.seed=" + seed + ")");
        BerMutator mutator = new BerMutator(new Random(seed), 64 * 1024);
        byte[] der = Certs.selfSigned("fuzz").getEncoded();
        byte[] p12 = Certs.keyStore("PKCS12", PASSWORD, List.of("a", "b"));
        Path file = dir.resolve("fuzzed");
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) {
            BerMutator.Mutant m = mutator.mutate(i % 2 == 0 ? der : p12);
            Files.write(file, m.bytes());
            FileContent c = reader.read(file, PASSWORD);
            if (c instanceof Failure f) {
                assertTrue(f.reason().startsWith(file.toString()), m.what() + ": " + f.reason());
            }
        }
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(120).toNanos(), "seed " + seed);
    }

    @Test
    void aFileReplacedWhileBeingReadIsReadWholeOldOrNew() throws Exception {
        X509Certificate a = Certs.selfSigned("a");
        X509Certificate b = Certs.selfSigned("b");
        Path file = dir.resolve("site.pem");
        Certs.writePem(file, a);
        Path next = dir.resolve("next.tmp");
        AtomicBoolean done = new AtomicBoolean();
        Thread replacer = new Thread(() -> {
            try {
                for (int i = 0; !done.get(); i++) {
                    Certs.writePem(next, i % 2 == 0 ? b : a, Certs.selfSigned("padding" + (i % 3)));
                    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        replacer.start();
        try {
            for (int i = 0; i < 500; i++) {
                FileContent c = reader.read(file, null);
                if (c instanceof Failure f) {
                    // only "kept changing" may come out of a file replaced under every read
                    assertEquals(LocationFailure.UNREADABLE, f.failure(), f.reason());
                    assertTrue(f.reason().endsWith("kept changing while being read"), f.reason());
                } else {
                    byte[] first = ((Certificates) c).entries().get(0).chain().get(0);
                    assertTrue(java.util.Arrays.equals(first, a.getEncoded())
                            || java.util.Arrays.equals(first, b.getEncoded()));
                }
            }
        } finally {
            done.set(true);
            replacer.join();
        }
    }
}
