package org.certwatch.bench;

import java.lang.annotation.Annotation;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.SecretSealer;
import org.certwatch.source.files.internal.FilesConfiguration;
import org.certwatch.source.files.internal.FilesSource;

/**
 * {@code ./certwatch bench files}: the files source over 100,000 PEM files (1,000 folders of 100, made once into
 * {@code target/bench/cache/files-100k}), run in this JVM against a registry that only counts, so the figures are
 * the source's own (walk, read, parse, report) and not the store's imports. Per sample a fresh source (as right
 * after a start) scans them all; then replaced files are timed from the rename to their report; the heap the
 * source keeps is read after a full GC. Anchor: {@code find … -exec openssl x509 -noout -enddate} over 200 of the
 * files, extrapolated to 100,000.
 */
final class FilesBench {
    private static final int FOLDERS = 1_000;
    private static final int PER_FOLDER = 100;
    private static final int FILES = FOLDERS * PER_FOLDER;
    private static final int DISTINCT = 1_000;
    private static final int ANCHOR_FILES = 200;

    private FilesBench() {
    }

    static List<Figure> run() throws Exception {
        Path root = Path.of(System.getProperty("certwatch.root", ".")).toAbsolutePath().resolve("target/bench");
        Path cache = root.resolve("cache/files-100k");
        List<String> pems = certificates(DISTINCT);
        prepare(cache, pems);
        List<Double> scans = new ArrayList<>();
        List<Double> anchor = new ArrayList<>();
        List<Double> noticed = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (int sample = 0; sample < Figure.MIN_SAMPLES; sample++) {
            anchor.add(anchorSeconds(cache));
            Path data = Files.createTempDirectory(root, "files-data");
            CountingRegistry registry = new CountingRegistry();
            long before = usedHeapAfterGc();
            FilesSource source = new FilesSource(data, config(root.toString()), registry, new PlainSealer(),
                    new BouncyCastleProvider());
            try {
                long t0 = System.nanoTime();
                source.start();
                source.create(new FileWatch(null, cache + "/**.pem", true, "All", false, "bench", null), null,
                        "bench");
                if (!registry.scanned.await(300, TimeUnit.SECONDS) || registry.present.get() != FILES) {
                    throw new AssertionError("full scan: " + registry.present.get() + " of " + FILES + " files");
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                scans.add(seconds);
                cpu.add(threadCpuSeconds("certwatch-files"));
                heap.add((usedHeapAfterGc() - before) / (double) FILES);
                System.out.printf("files: scan of %,d files %.1f s (%.1f s CPU of its thread, %,d reports), anchor"
                        + " %.1f s extrapolated, %.0f bytes heap per file, load %.1f%n", FILES, seconds,
                        cpu.get(cpu.size() - 1), registry.reports.get(), anchor.get(anchor.size() - 1),
                        heap.get(heap.size() - 1), Report.loadAverage());
                for (int i = 0; i < 4; i++) {
                    noticed.add(replace(cache, registry, pems, sample * 4 + i));
                }
            } finally {
                source.deactivate();
            }
        }
        return List.of(
                new Figure("files: full scan of 100,000 PEM files right after a start", "s", scans,
                        "find -exec openssl x509 -enddate (200 files, ×500)", anchor, "≤ 30 s", false),
                new Figure("files: CPU time of that scan (its thread; what an idle machine would wait)", "s", cpu,
                        "", List.of(), "≤ 30 s", false),
                new Figure("files: a replaced file noticed (rename to report)", "ms", noticed, "", List.of(),
                        "≤ 2000 ms", false),
                new Figure("files: heap per watched file", "bytes", heap, "", List.of(), "≤ 1024 bytes", false));
    }

    /** Replaces one file by rename and times it until the source reports the new certificate. */
    private static double replace(Path cache, CountingRegistry registry, List<String> pems, int n) throws Exception {
        int folder = (n * 97) % FOLDERS;
        Path file = cache.resolve(folderName(folder)).resolve(fileName(folder, n % PER_FOLDER));
        String current = Files.readString(file);
        String next = pems.get((pems.indexOf(current) + 1) % pems.size());
        byte[] expected = der(next);
        Path temp = file.resolveSibling(".replacement");
        Files.writeString(temp, next);
        registry.expect(file.toString(), expected);
        long t0 = System.nanoTime();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!registry.seen.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError(file + ": replacement not reported within 30 s");
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        System.out.printf("files: replaced %s noticed after %.0f ms%n", file.getFileName(), millis);
        return millis;
    }

    private static double anchorSeconds(Path cache) throws Exception {
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

    /** The CPU time the named thread used so far (the source's worker does the whole scan). */
    private static double threadCpuSeconds(String name) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return threads.getThreadCpuTime(t.getId()) / 1e9;
            }
        }
        throw new AssertionError("no thread " + name);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The files, once: a marker says the folder is complete. */
    private static void prepare(Path cache, List<String> pems) throws Exception {
        Path done = cache.resolve(".complete");
        if (Files.exists(done)) {
            return;
        }
        System.out.printf("files: writing %,d PEM files into %s (once)%n", FILES, cache);
        for (int d = 0; d < FOLDERS; d++) {
            Path folder = Files.createDirectories(cache.resolve(folderName(d)));
            for (int f = 0; f < PER_FOLDER; f++) {
                Files.writeString(folder.resolve(fileName(d, f)), pems.get((d * PER_FOLDER + f) % DISTINCT));
            }
        }
        Files.writeString(done, Instant.now().toString());
    }

    private static String folderName(int d) {
        return String.format("d%04d", d);
    }

    private static String fileName(int d, int f) {
        return String.format("site-%06d.pem", d * PER_FOLDER + f);
    }

    /** Distinct self-signed P-256 certificates, the same every run (fixed names and serials, one key per run). */
    private static List<String> certificates(int n) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair key = g.generateKeyPair();
        Instant now = Instant.now().truncatedTo(ChronoUnit.DAYS);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            X500Name name = new X500Name("CN=site-" + i + ".bench.example");
            byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(i + 1),
                    Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(90 + i % 300, ChronoUnit.DAYS)),
                    name, key.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA")
                            .build(key.getPrivate())).getEncoded();
            out.add("-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
                    .encodeToString(der) + "\n-----END CERTIFICATE-----\n");
        }
        return out;
    }

    private static byte[] der(String pem) {
        String body = pem.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "");
        return Base64.getMimeDecoder().decode(body);
    }

    private static FilesConfiguration config(String root) {
        return new FilesConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FilesConfiguration.class;
            }

            @Override
            public String[] allowed_roots() {
                return new String[] {root};
            }

            @Override
            public String rescan_interval() {
                return "PT5M";
            }

            @Override
            public int debounce_ms() {
                return 300;
            }

            @Override
            public int max_file_bytes() {
                return 4 * 1024 * 1024;
            }

            @Override
            public int max_aliases() {
                return 1000;
            }

            @Override
            public int max_certificates() {
                return 1000;
            }

            @Override
            public int max_files_per_watch() {
                return 250_000;
            }
        };
    }

    /** The benchmark needs no secrets. */
    private static final class PlainSealer implements SecretSealer {
        @Override
        public String seal(char[] secret) {
            return new String(secret);
        }

        @Override
        public char[] open(String sealed) {
            return sealed.toCharArray();
        }
    }

    /** Counts reports, keeps nothing per location, and signals one expected report and the end of a scan. */
    private static final class CountingRegistry implements LocationRegistry {
        final AtomicLong reports = new AtomicLong();
        final AtomicLong present = new AtomicLong();
        final CountDownLatch scanned = new CountDownLatch(1);
        volatile CountDownLatch seen = new CountDownLatch(1);
        private volatile String address;
        private volatile byte[] certificate;

        void expect(String expectedAddress, byte[] expectedCertificate) {
            seen = new CountDownLatch(1);
            certificate = expectedCertificate;
            address = expectedAddress;
        }

        @Override
        public Location report(Observation o) {
            reports.incrementAndGet();
            if (o.succeeded() && o.location().address().equals(address)
                    && Arrays.equals(o.chain().get(0), certificate)) {
                seen.countDown();
            }
            return null;
        }

        @Override
        public void gone(LocationRef location) {
        }

        @Override
        public void present(String source, Collection<String> addresses) {
            if (!addresses.isEmpty() && scanned.getCount() > 0) { // not the scan before the watch exists
                present.set(addresses.size());
                scanned.countDown();
            }
        }

        @Override
        public Optional<Location> location(long id) {
            return Optional.empty();
        }

        @Override
        public Optional<Location> location(LocationRef ref) {
            return Optional.empty();
        }

        @Override
        public List<Location> locations(LocationQuery query) {
            return List.of();
        }

        @Override
        public List<LocationHistoryEntry> history(long locationId) {
            return List.of();
        }

        @Override
        public Location stopWatching(long locationId, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Location resumeWatching(long locationId, String actor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> sources() {
            return List.of("files");
        }
    }
}
