package org.certwatch.bench;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The files benchmark's 100,000 PEM files of distinct certificates, 1,000 folders of 100, written once into the
 * cache (a marker says the folder is complete), and the anchor's reading of some of them. Its certificates are
 * self-signed P-256 ones of one key per run, valid from yesterday for 90 to 389 days.
 */
final class FilesCorpus {
    static final int FOLDERS = 1_000;
    static final int PER_FOLDER = 100;
    static final int FILES = FOLDERS * PER_FOLDER;
    private static final int ANCHOR_FILES = 200;

    private final Path cache;
    private final KeyPair key;
    private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);

    FilesCorpus(Path cache) throws Exception {
        this.cache = cache;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        key = g.generateKeyPair();
    }

    Path folder() {
        return cache;
    }

    /** The files, once. */
    void prepare() throws Exception {
        Path done = cache.resolve(".complete");
        if (Files.exists(done)) {
            return;
        }
        System.out.printf(Locale.ROOT, "files: writing %,d PEM files of distinct certificates into %s (once)%n",
                FILES, cache);
        for (int d = 0; d < FOLDERS; d++) {
            Path folder = Files.createDirectories(cache.resolve(folderName(d)));
            for (int f = 0; f < PER_FOLDER; f++) {
                int i = d * PER_FOLDER + f;
                Files.writeString(folder.resolve(fileName(d, f)), pem(der("site-" + i + ".bench.example", i + 1)));
            }
        }
        Files.writeString(done, Instant.now().toString());
    }

    /** The {@code n}th file a benchmark replaces: spread over the folders. */
    Path replaced(int n) {
        int folder = (n * 97) % FOLDERS;
        return cache.resolve(folderName(folder)).resolve(fileName(folder, n % PER_FOLDER));
    }

    /**
     * The anchor: {@code find … -exec openssl x509 -noout -enddate} over the first two folders (200 files, one
     * process per file), extrapolated to all the files.
     */
    double anchorSeconds() throws Exception {
        List<String> command = new ArrayList<>(List.of("find", cache.resolve(folderName(0)).toString(),
                cache.resolve(folderName(1)).toString(), "-name", "*.pem", "-exec", "openssl", "x509", "-noout",
                "-enddate", "-in", "{}", ";"));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        long lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("notAfter=")).count();
        if (!p.waitFor(300, TimeUnit.SECONDS) || lines != ANCHOR_FILES) {
            throw new AssertionError("anchor read " + lines + " of " + ANCHOR_FILES + " files");
        }
        return (System.nanoTime() - t0) / 1e9 * FILES / ANCHOR_FILES;
    }

    byte[] der(String cn, long serial) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        return new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(serial),
                Date.from(today.minus(1, ChronoUnit.DAYS)), Date.from(today.plus(90 + serial % 300,
                        ChronoUnit.DAYS)), name, key.getPublic()).build(new JcaContentSignerBuilder(
                                "SHA256withECDSA").build(key.getPrivate())).getEncoded();
    }

    static String pem(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END CERTIFICATE-----\n";
    }

    private static String folderName(int d) {
        return String.format("d%04d", d);
    }

    private static String fileName(int d, int f) {
        return String.format("site-%06d.pem", d * PER_FOLDER + f);
    }
}
