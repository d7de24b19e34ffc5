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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.source.files.internal.FileContent.Certificates;
import org.certwatch.source.files.internal.FileContent.Failure;
import org.certwatch.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateReaderTest {
    private static final char[] PASSWORD = "s3cret".toCharArray();
    private final CertificateReader reader = new CertificateReader(new BouncyCastleProvider(), Bounds.DEFAULT);
    @TempDir
    Path dir;

    @Test
    void pemBundleKeepsEveryCertificateInFileOrder() throws Exception {
        X509Certificate leaf = TestCertificates.selfSigned("leaf");
        X509Certificate ca = TestCertificates.selfSigned("ca");
        Path file = dir.resolve("bundle.crt");
        Files.writeString(file, "# a comment before\n" + TestCertificates.pem(leaf, ca) + "trailing text\n");

        Certificates c = assertInstanceOf(Certificates.class, reader.read(file, null));
        assertEquals(1, c.entries().size());
        assertEquals(null, c.entries().get(0).alias());
        assertArrayEquals(leaf.getEncoded(), c.entries().get(0).chain().get(0));
        assertArrayEquals(ca.getEncoded(), c.entries().get(0).chain().get(1));
    }

    @Test
    void kindComesFromTheContentNotTheName() throws Exception {
        X509Certificate leaf = TestCertificates.selfSigned("der");
        Path file = dir.resolve("looks-like.pem");
        Files.write(file, leaf.getEncoded());

        Certificates c = assertInstanceOf(Certificates.class, reader.read(file, null));
        assertArrayEquals(leaf.getEncoded(), c.entries().get(0).chain().get(0));
    }

    @Test
    void emptyGarbageTruncatedAndKeyOnlyFilesAreNamedFailures() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.pem"));
        assertEquals(LocationFailure.EMPTY, assertInstanceOf(Failure.class, reader.read(empty, null)).failure());

        Path garbage = Files.writeString(dir.resolve("garbage.crt"), "hello, world\n");
        Failure g = assertInstanceOf(Failure.class, reader.read(garbage, null));
        assertEquals(LocationFailure.CORRUPT, g.failure());
        assertTrue(g.reason().startsWith(garbage + " is neither PEM nor DER/PKCS#12 nor a Java keystore"), g.reason());

        byte[] der = TestCertificates.selfSigned("t").getEncoded();
        Path truncated = Files.write(dir.resolve("truncated.der"), java.util.Arrays.copyOf(der, der.length / 2));
        assertEquals(LocationFailure.CORRUPT, assertInstanceOf(Failure.class, reader.read(truncated, null)).failure());

        String pem = TestCertificates.pem(TestCertificates.selfSigned("t"));
        Path cut = Files.writeString(dir.resolve("cut.pem"), pem.substring(0, pem.length() / 2));
        Failure c = assertInstanceOf(Failure.class, reader.read(cut, null));
        assertEquals(LocationFailure.CORRUPT, c.failure());
        assertEquals(cut + " is truncated PEM: 1 BEGIN line(s) but 0 END line(s)", c.reason());

        Path keyOnly = Files.writeString(dir.resolve("key.pem"),
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        Failure k = assertInstanceOf(Failure.class, reader.read(keyOnly, null));
        assertEquals(LocationFailure.EMPTY, k.failure());
        assertEquals(keyOnly + ": PEM without a certificate", k.reason());

        Path missing = dir.resolve("missing.pem");
        assertEquals(LocationFailure.MISSING, assertInstanceOf(Failure.class, reader.read(missing, null)).failure());
    }

    @Test
    void aFileOverMaxFileBytesIsTooLargeUnread() throws Exception {
        Path big = Files.write(dir.resolve("big.jks"), TestCertificates.keyStore("JKS", PASSWORD,
                IntStream.range(0, 10_000).mapToObj(i -> "a" + i).toList()));
        reader.bounds(new Bounds(Bounds.DEFAULT.rescanInterval(), Duration.ZERO, 1024 * 1024, 1000, 1000, 10));
        Failure bySize = assertInstanceOf(Failure.class, reader.read(big, PASSWORD));
        assertEquals(LocationFailure.TOO_LARGE, bySize.failure());
        assertTrue(bySize.reason().contains("max.file.bytes"), bySize.reason());
        // within the bytes, the shared reader's alias bound
        reader.bounds(new Bounds(Bounds.DEFAULT.rescanInterval(), Duration.ZERO, 64 * 1024 * 1024, 1000, 1000, 10));
        Failure byAliases = assertInstanceOf(Failure.class, reader.read(big, PASSWORD));
        assertEquals(LocationFailure.TOO_LARGE, byAliases.failure());
        assertEquals(big + ": 10000 aliases, more than the 1000 allowed", byAliases.reason());
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
    void aFileReplacedWhileBeingReadIsReadWholeOldOrNew() throws Exception {
        X509Certificate a = TestCertificates.selfSigned("a");
        X509Certificate b = TestCertificates.selfSigned("b");
        Path file = dir.resolve("site.pem");
        TestCertificates.writePem(file, a);
        Path next = dir.resolve("next.tmp");
        AtomicBoolean done = new AtomicBoolean();
        Thread replacer = new Thread(() -> {
            try {
                for (int i = 0; !done.get(); i++) {
                    TestCertificates.writePem(next, i % 2 == 0 ? b : a, TestCertificates.selfSigned("padding" + (i % 3)));
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
