package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ImportResult;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.ImportOptions;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.testing.BerMutator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutated DER, PEM and PKCS#12 (made by the store and by openssl) fed to the store's imports: every
 * case is refused with a {@link CertificateStoreException} that says what is wrong, within a time
 * limit, and nothing stored changes. Every seed is refused unmutated too (a duplicate, or a
 * certificate that must verify against the named CA), so any import that succeeds is a defect.
 *
 * <p>The seed is printed; {@code -Dcertwatch.fuzz.seed=N} replays a run, {@code
 * -Dcertwatch.fuzz.import.cases=N} sets the cases per input (default 1,000; a tenth of that for the
 * store's own PKCS#12, which is slow to open by design).
 */
class ImportFuzzTest {
    private static final String PASSWORD = "fuzz-password";
    private static final Duration CASE_LIMIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private Stores stores;
    private PkiStore store;
    private CaInfo ca;
    private ExecutorService worker;

    /** One import call on mutated bytes. */
    private interface Importer {
        void run(byte[] mutated);
    }

    /** {@code share}: cases relative to the others (the store's own PKCS#12 costs 3 × 100,000 PBKDF2 rounds). */
    private record Seed(String name, byte[] bytes, boolean pem, double share, Importer importer) {
    }

    @BeforeEach
    void setUp() throws Exception {
        stores = new Stores(dir, SettableClock.atSystemTime());
        store = stores.open();
        ca = store.createCa(CaRequest.of("CN=Fuzz CA,O=certwatch"), "t");
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "import-fuzz-case"));
    }

    @AfterEach
    void tearDown() throws Exception {
        worker.shutdownNow();
        stores.close();
    }

    private List<Seed> seeds() throws Exception {
        CertificateInfo leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-1.example.org"), "t");
        ImportOptions signedByCa = new ImportOptions(ca.id(), "fuzz", null);
        char[] password = PASSWORD.toCharArray();
        byte[] leafDer = store.export(leaf.id(), ExportFormat.DER, null, "t");
        byte[] leafP12 = store.export(leaf.id(), ExportFormat.PKCS12, password, "t");
        byte[] caDer = store.exportCa(ca.id(), ExportFormat.DER, null, "t");
        byte[] caP12 = store.exportCa(ca.id(), ExportFormat.PKCS12, password, "t");
        // openssl's own PKCS#12 (PBES2/AES-256, HMAC-SHA-256 MAC) of the same certificate and key
        Path p12 = Files.write(dir.resolve("leaf.p12"), leafP12);
        Path pem = dir.resolve("leaf-and-key.pem");
        openssl("pkcs12", "-in", p12.toString(), "-passin", "pass:" + PASSWORD, "-nodes",
                "-out", pem.toString());
        Path opensslP12 = dir.resolve("openssl.p12");
        openssl("pkcs12", "-export", "-in", pem.toString(), "-passout", "pass:" + PASSWORD,
                "-out", opensslP12.toString());
        byte[] caKeyDer = keyDerOf(store.exportCa(ca.id(), ExportFormat.PKCS12, password, "t"));
        return List.of(
                new Seed("certificate DER", leafDer, false, 1,
                        m -> newOnly(store.importCertificates(m, null, signedByCa, "fuzz"))),
                new Seed("certificate PEM", leafDer, true, 1,
                        m -> newOnly(store.importCertificates(m, null, signedByCa, "fuzz"))),
                new Seed("store PKCS#12", leafP12, false, 0.1,
                        m -> newOnly(store.importCertificates(m, password, signedByCa, "fuzz"))),
                new Seed("openssl PKCS#12", Files.readAllBytes(opensslP12), false, 1,
                        m -> newOnly(store.importCertificates(m, password, signedByCa, "fuzz"))),
                new Seed("CA PKCS#12", caP12, false, 0.1,
                        m -> store.importCa(m, null, password, "fuzz", null, "fuzz")),
                new Seed("CA DER with its PKCS#8 key", caDer, false, 1,
                        m -> store.importCa(m, caKeyDer, null, "fuzz", null, "fuzz")),
                new Seed("CA key PKCS#8 DER", caKeyDer, false, 1,
                        m -> store.importCa(caDer, m, null, "fuzz", null, "fuzz")));
    }

    /**
     * The seeds are in the store already, so an import that stores nothing new did not accept the mutant: it is
     * reported as a refusal here (the store reports such certificates as already present, and changes nothing).
     */
    private static void newOnly(ImportResult result) {
        if (result.imported().isEmpty()) {
            throw new CertificateStoreException("nothing new: already present as " + result.alreadyPresent().stream()
                    .map(ImportResult.AlreadyPresent::where).toList());
        }
    }

    /** The CA's private key as PKCS#8 DER, taken from its PKCS#12 with openssl. */
    private byte[] keyDerOf(byte[] p12) throws Exception {
        Path in = Files.write(dir.resolve("ca.p12"), p12);
        Path key = dir.resolve("ca-key.der");
        Path keyPem = dir.resolve("ca-key.pem");
        openssl("pkcs12", "-in", in.toString(), "-passin", "pass:" + PASSWORD, "-nodes",
                "-nocerts", "-out", keyPem.toString());
        openssl("pkcs8", "-topk8", "-nocrypt", "-in", keyPem.toString(), "-outform", "DER",
                "-out", key.toString());
        return Files.readAllBytes(key);
    }

    private static byte[] pem(byte[] der) {
        return ("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END CERTIFICATE-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void mutatedImportsAreRefusedClearlyAndChangeNothing() throws Exception {
        long seed = Long.getLong("certwatch.fuzz.seed", new Random().nextLong());
        int casesPerSeed = Integer.getInteger("certwatch.fuzz.import.cases", 1000);
        System.out.println("ImportFuzzTest: seed " + seed + " (replay with -Dcertwatch.fuzz.seed=" + seed + ")");
        Random random = new Random(seed);
        BerMutator mutator = new BerMutator(random, 1 << 20);
        List<Seed> seeds = seeds();
        Map<String, Long> files = stores.snapshot();
        List<CaInfo> cas = store.cas();
        List<CertificateInfo> certificates = store.certificates(CertificateQuery.all());
        List<String> failures = new ArrayList<>();
        StringBuilder details = new StringBuilder();
        Map<String, Integer> messages = new LinkedHashMap<>();
        int cases = 0;
        long t0 = System.nanoTime();
        for (Seed s : seeds) {
            // unmutated, the seed is refused too: every accepted mutant is a defect, not luck
            String plain = outcome(s, s.pem ? pem(s.bytes) : s.bytes);
            assertTrue(plain.startsWith("refused:"), s.name + " unmutated: " + plain);
            for (int i = 0; i < casesPerSeed * s.share; i++) {
                BerMutator.Mutant m = mutator.mutate(s.bytes);
                byte[] input = s.pem ? pem(m.bytes()) : m.bytes();
                String result = outcome(s, input);
                cases++;
                if (result.startsWith("refused:")) {
                    messages.merge(s.name + ": " + firstWords(result.substring(9)), 1, Integer::sum);
                } else {
                    failures.add(s.name + " case " + i + " (" + m.what() + "): " + result);
                    details.append(failures.get(failures.size() - 1)).append("\n  input ")
                            .append(Base64.getEncoder().encodeToString(input)).append("\n\n");
                }
            }
            System.out.println("ImportFuzzTest: " + s.name + " done after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertEquals(List.of(), failures, "accepted mutants of " + s.name + " (seed " + seed + ")\n" + details);
            assertEquals(files, stores.snapshot(), "store files changed by " + s.name);
            assertEquals(cas, store.cas(), "CAs changed by " + s.name);
            assertEquals(certificates, store.certificates(CertificateQuery.all()), "certificates changed by " + s.name);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("ImportFuzzTest: " + cases + " cases in " + ms + " ms, " + failures.size()
                + " failure(s); refusals by kind:");
        messages.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(25)
                .forEach(e -> System.out.println("  " + e.getValue() + "\t" + e.getKey()));
        if (!failures.isEmpty()) {
            Path report = Files.writeString(Path.of("target", "import-fuzz-failures.txt"), details);
            failures.stream().limit(30).forEach(f -> System.out.println("FAILED " + f.lines().limit(3)
                    .reduce((a, b) -> a + " | " + b).orElse("")));
            throw new AssertionError(failures.size() + " of " + cases + " cases failed (seed " + seed
                    + "); every input in " + report.toAbsolutePath());
        }
    }

    // --- regressions: cases the fuzzer found, kept by name ---

    /** Found by the fuzzer (a one-bit flip was imported once): no single-bit flip of a certificate is accepted. */
    @Test
    void noSingleBitFlipOfACertificateIsAccepted() throws Exception {
        CertificateInfo leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-5.example.org"), "t");
        byte[] der = store.export(leaf.id(), ExportFormat.DER, null, "t");
        ImportOptions signedByCa = new ImportOptions(ca.id(), "fuzz", null);
        Map<String, Long> files = stores.snapshot();
        List<String> accepted = new ArrayList<>();
        for (int bit = 0; bit < der.length * 8; bit++) {
            byte[] flipped = der.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                store.importCertificates(flipped, null, signedByCa, "fuzz");
                accepted.add("byte " + bit / 8 + " bit " + bit % 8 + ": " + Base64.getEncoder().encodeToString(flipped));
            } catch (CertificateStoreException refused) {
                // expected
            }
        }
        assertEquals(List.of(), accepted, "original " + Base64.getEncoder().encodeToString(der));
        assertEquals(files, stores.snapshot());
    }

    /** Found by the fuzzer: a CA certificate with a damaged signature was imported (its key still matched). */
    @Test
    void caCertificateWithADamagedSignatureIsRefused() throws Exception {
        char[] password = PASSWORD.toCharArray();
        byte[] caDer = store.exportCa(ca.id(), ExportFormat.DER, null, "t");
        byte[] key = keyDerOf(store.exportCa(ca.id(), ExportFormat.PKCS12, password, "t"));
        byte[] damaged = caDer.clone();
        damaged[damaged.length - 3] ^= 0x01; // inside the signature value
        Map<String, Long> files = stores.snapshot();
        CertificateStoreException e = org.junit.jupiter.api.Assertions.assertThrows(CertificateStoreException.class,
                () -> store.importCa(damaged, key, null, null, null, "t"));
        assertTrue(e.getMessage().contains("self-signature") && e.getMessage().contains("damaged"), e.getMessage());
        assertEquals(files, stores.snapshot());
        assertEquals(1, store.cas().size());
    }

    /** Found by the fuzzer: a damaged issuer name made a root look like an intermediate nobody could check. */
    @Test
    void caCertificateWhoseIssuerIsUnknownIsRefused() throws Exception {
        byte[] caDer = store.exportCa(ca.id(), ExportFormat.DER, null, "t");
        byte[] key = keyDerOf(store.exportCa(ca.id(), ExportFormat.PKCS12, PASSWORD.toCharArray(), "t"));
        // the issuer's CN "Fuzz CA" comes first in the TBS: make it "Fuzz CB" (the subject stays)
        byte[] damaged = caDer.clone();
        int at = indexOf(damaged, "Fuzz CA".getBytes(StandardCharsets.US_ASCII));
        damaged[at + 6] = 'B';
        CertificateStoreException e = org.junit.jupiter.api.Assertions.assertThrows(CertificateStoreException.class,
                () -> store.importCa(damaged, key, null, null, null, "t"));
        assertTrue(e.getMessage().contains("is neither in the import nor a CA here"), e.getMessage());
        assertEquals(1, store.cas().size());
    }

    /** Found by the fuzzer: thousands of nested SEQUENCEs overflowed Bouncy Castle's recursive parser. */
    @Test
    void deeplyNestedDerIsRefusedNotAStackOverflow() throws Exception {
        CertificateInfo leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-2.example.org"), "t");
        byte[] nested = nested(store.export(leaf.id(), ExportFormat.DER, null, "t"), 5000);
        assertRefused(() -> store.importCertificates(nested, null, ImportOptions.defaults(), "t"),
                "nested deeper than 64");
        assertRefused(() -> store.importCertificates(pem(nested), null, ImportOptions.defaults(), "t"),
                "nested deeper than 64");
    }

    /**
     * Found by the fuzzer in a CA PKCS#12: inside the bags' octets, a SEQUENCE claiming two bytes more than its parent
     * holds, with thousands of levels inside, overflowed Bouncy Castle's parser (it opens such an element before it
     * notices the parent's end); the nesting scan had taken the octets for plain bytes and skipped them.
     */
    @Test
    void deepNestingInsideAnOverlongElementOfAPkcs12IsRefusedNotAStackOverflow() throws Exception {
        byte[] deep = nested(new byte[] {0x05, 0x00}, 5000);
        assertEquals((byte) 0x82, deep[1], "two length octets");
        int claimed = ((deep[2] & 0xff) << 8 | deep[3] & 0xff) + 2;
        deep[2] = (byte) (claimed >> 8);
        deep[3] = (byte) claimed;
        byte[] pfx = pfxOfData(tlv(0x04, deep));
        assertRefused(() -> store.importCertificates(pfx, PASSWORD.toCharArray(), ImportOptions.defaults(), "t"),
                "nested deeper than 64");
    }

    /**
     * Found while fixing the case above: a BER PKCS#12 (as Windows and Java write them) whose authenticated safe is
     * a constructed OCTET STRING; Bouncy Castle joins its segments before parsing, so 100 levels in each of 50
     * segments are 5,000 levels.
     */
    @Test
    void deepNestingSplitAcrossTheSegmentsOfAPkcs12IsRefusedNotAStackOverflow() throws Exception {
        byte[] deep = nested(new byte[] {0x05, 0x00}, 5000);
        byte[] segments = new byte[0];
        for (int at = 0; at < deep.length; at += 100) {
            segments = concat(segments, tlv(0x04, java.util.Arrays.copyOfRange(deep, at, Math.min(at + 100, deep.length))));
        }
        byte[] pfx = pfxOfData(tlv(0x24, segments));
        assertRefused(() -> store.importCertificates(pfx, PASSWORD.toCharArray(), ImportOptions.defaults(), "t"),
                "nested deeper than 64");
    }

    /**
     * Found while looking for the kin of the cases above: the nesting scan cannot see into encrypted content, and
     * a PKCS#12 made with the uploader's own password can hide 20,000 levels in a bag attribute of its encrypted
     * safe, which Bouncy Castle parses after decrypting. The import's last line of defence turns the parser's
     * {@code StackOverflowError} into a refusal.
     */
    @Test
    void deepNestingInsideEncryptedContentIsRefusedNotAStackOverflow() throws Exception {
        CertificateInfo leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-5.example.org"), "t");
        org.bouncycastle.cert.X509CertificateHolder certificate = new org.bouncycastle.cert.X509CertificateHolder(
                store.export(leaf.id(), ExportFormat.DER, null, "t"));
        java.util.concurrent.atomic.AtomicReference<Object> built = new java.util.concurrent.atomic.AtomicReference<>();
        // Bouncy Castle's encoder recurses per level too: the hostile file is built on a thread with a large stack
        Thread builder = new Thread(null, () -> {
            try {
                org.bouncycastle.asn1.ASN1Encodable deep = org.bouncycastle.asn1.DERNull.INSTANCE;
                for (int i = 0; i < 20_000; i++) {
                    deep = new org.bouncycastle.asn1.DERSequence(deep);
                }
                org.bouncycastle.jce.provider.BouncyCastleProvider bc = new org.bouncycastle.jce.provider.BouncyCastleProvider();
                org.bouncycastle.pkcs.PKCS12SafeBag bag = new org.bouncycastle.pkcs.PKCS12SafeBagBuilder(certificate)
                        .addBagAttribute(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_friendlyName, deep).build();
                built.set(new org.bouncycastle.pkcs.PKCS12PfxPduBuilder()
                        .addEncryptedData(new org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder(
                                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC).setProvider(bc)
                                .build(PASSWORD.toCharArray()), bag)
                        .build(new org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder(
                                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256).setProvider(bc),
                                PASSWORD.toCharArray())
                        .getEncoded());
            } catch (Exception | Error e) {
                built.set(e);
            }
        }, "hostile-pkcs12", 1L << 30);
        builder.start();
        builder.join();
        assertTrue(built.get() instanceof byte[], "built: " + built.get());
        byte[] pfx = (byte[]) built.get();
        assertRefused(() -> store.importCertificates(pfx, PASSWORD.toCharArray(), ImportOptions.defaults(), "t"),
                "is nested too deeply to be read");
    }

    /** Found by the fuzzer: a PKCS#12 naming 2^31-1 MAC iterations kept the importing thread busy for ages. */
    @Test
    void pkcs12AskingForBillionsOfIterationsIsRefusedAtOnce() throws Exception {
        CertificateInfo leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-3.example.org"), "t");
        org.bouncycastle.asn1.pkcs.Pfx pfx = org.bouncycastle.asn1.pkcs.Pfx.getInstance(
                store.export(leaf.id(), ExportFormat.PKCS12, PASSWORD.toCharArray(), "t"));
        org.bouncycastle.asn1.pkcs.MacData mac = pfx.getMacData();
        byte[] hostile = new org.bouncycastle.asn1.pkcs.Pfx(pfx.getAuthSafe(), new org.bouncycastle.asn1.pkcs.MacData(
                mac.getMac(), mac.getSalt(), Integer.MAX_VALUE)).getEncoded();
        long t0 = System.nanoTime();
        assertRefused(() -> store.importCertificates(hostile, PASSWORD.toCharArray(), ImportOptions.defaults(), "t"),
                "asks for 2147483647 MAC key-derivation iterations");
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "refused at once");
    }

    /** Found by the fuzzer: a name attribute whose type is not an OID failed later, as "certificate.import failed". */
    @Test
    void aCertificateWithADamagedNameIsReportedAsDamaged() throws Exception {
        CertificateInfo leaf = store.issue(IssueRequest.of(ca.id(), Role.AGENT, "pc-4.example.org"), "t");
        byte[] der = store.export(leaf.id(), ExportFormat.DER, null, "t");
        // the commonName attribute type (OID 2.5.4.3) of the issuer becomes a UTF8String of the same bytes
        int at = indexOf(der, new byte[] {0x06, 0x03, 0x55, 0x04, 0x03});
        der[at] = 0x0c;
        byte[] damaged = der;
        assertRefused(() -> store.importCertificates(damaged, null, ImportOptions.defaults(), "t"),
                "holds a damaged certificate");
    }

    /** Found by the fuzzer (in the fix above): empty PBKDF2 parameters threw NoSuchElementException, unexplained. */
    @Test
    void emptyKeyDerivationParametersAreRefusedClearly() throws Exception {
        byte[] hostile = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.DERSequence(
                new org.bouncycastle.asn1.ASN1Encodable[] {org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.id_PBKDF2,
                        new org.bouncycastle.asn1.DERSequence()})).getEncoded();
        assertRefused(() -> store.importCertificates(hostile, PASSWORD.toCharArray(), ImportOptions.defaults(), "t"),
                "is neither a DER certificate nor a readable PKCS#12 file");
    }

    private void assertRefused(org.junit.jupiter.api.function.Executable call, String expected) throws Exception {
        Map<String, Long> files = stores.snapshot();
        List<CertificateInfo> before = store.certificates(CertificateQuery.all());
        CertificateStoreException e = org.junit.jupiter.api.Assertions.assertThrows(CertificateStoreException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        PlainMessages.assertPlain(e.getMessage());
        assertEquals(files, stores.snapshot());
        assertEquals(before, store.certificates(CertificateQuery.all()));
    }

    private static byte[] nested(byte[] inner, int levels) {
        byte[] out = inner;
        for (int i = 0; i < levels; i++) {
            out = sequence(out);
        }
        return out;
    }

    /** A PKCS#12 PFX (version 3, no MAC) whose authenticated safe is the data content {@code octets}. */
    private static byte[] pfxOfData(byte[] octets) throws java.io.IOException {
        byte[] dataOid = org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.data.getEncoded();
        return sequence(concat(new byte[] {0x02, 0x01, 0x03}, sequence(concat(dataOid, tlv(0xa0, octets)))));
    }

    private static byte[] sequence(byte[] content) {
        return tlv(0x30, content);
    }

    private static byte[] tlv(int tag, byte[] content) {
        int n = content.length;
        byte t = (byte) tag;
        byte[] header = n < 0x80 ? new byte[] {t, (byte) n}
                : n < 0x100 ? new byte[] {t, (byte) 0x81, (byte) n}
                : n < 0x10000 ? new byte[] {t, (byte) 0x82, (byte) (n >> 8), (byte) n}
                : new byte[] {t, (byte) 0x83, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        byte[] out = java.util.Arrays.copyOf(header, header.length + n);
        System.arraycopy(content, 0, out, header.length, n);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** "refused: message", or what went wrong instead (another exception, success, timeout). */
    private String outcome(Seed s, byte[] input) throws Exception {
        Future<?> f = worker.submit(() -> s.importer.run(input));
        try {
            f.get(CASE_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
            return "ACCEPTED: the import succeeded";
        } catch (TimeoutException e) {
            // the stuck worker cannot be stopped; later cases get a new one (the store's lock may be held:
            // the snapshot comparison at the end tells)
            f.cancel(true);
            worker.shutdownNow();
            worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "import-fuzz-case"));
            return "TIMEOUT after " + CASE_LIMIT;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (!(cause instanceof CertificateStoreException)) {
                return "WRONG EXCEPTION " + stack(cause);
            }
            // the store's catch-all wraps what the import reader did not expect: not a clear message
            if (cause.getMessage().startsWith("certificate.import failed") || cause.getMessage().startsWith("ca.import failed")) {
                return "UNCLEAR " + stack(cause);
            }
            // an admin reads the refusal: it must speak of the input, not of the parser's classes
            if (!PlainMessages.isPlain(cause.getMessage())) {
                return "JAVA INTERNALS IN THE MESSAGE " + cause.getMessage();
            }
            return "refused: " + cause.getMessage();
        }
    }

    private static String stack(Throwable t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.printStackTrace(new java.io.PrintWriter(w));
        return w.toString().lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    private static String firstWords(String message) {
        String[] words = message.replaceAll("[0-9a-f]{16,}", "…").split(" ");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(words.length, 9)));
    }

    /** openssl must succeed while the seeds are made. */
    private void openssl(String... args) throws Exception {
        OpenSsl.Result r = OpenSsl.run(dir, args);
        assertEquals(0, r.exit(), r.output());
    }
}
