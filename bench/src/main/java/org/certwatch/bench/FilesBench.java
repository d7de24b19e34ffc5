package org.certwatch.bench;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
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
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.locations.internal.FileLocationStorage;
import org.certwatch.locations.internal.LocationRegistryComponent;
import org.certwatch.locations.internal.LocationsConfiguration;
import org.certwatch.source.files.internal.FilesConfiguration;
import org.certwatch.source.files.internal.FilesSource;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreEvents;
import org.certwatch.store.internal.core.StoreSettings;

/**
 * {@code ./certwatch bench files}: the files source over 100,000 PEM files of 100,000 distinct certificates (1,000
 * folders of 100, made once into {@code target/bench/cache/files-100k-distinct}), run in this JVM on the real path:
 * the store's engine ({@link PkiStore}, as {@link StoreBench} runs it) and the location registry
 * ({@link LocationRegistryComponent} over its file), both opened first and not timed, as a server that just started.
 * Per sample a fresh source is given one watch and timed until its full scan has every location in the registry
 * (imported into the store, saved durably); then replaced files are timed from the rename until the registry has
 * the new certificate; the heap the source keeps and the heap the registry and the store add are read after full
 * GCs; and the registry's start over those 100,000 locations is timed in a child JVM with the distribution's JVM
 * options. Anchor: {@code find … -exec openssl x509 -noout -enddate} over 200 of the files, extrapolated to 100,000.
 */
final class FilesBench {
    private static final int FOLDERS = 1_000;
    private static final int PER_FOLDER = 100;
    private static final int FILES = FOLDERS * PER_FOLDER;
    private static final int ANCHOR_FILES = 200;
    private static final int SAMPLES = Integer.getInteger("certwatch.bench.files.samples", Figure.MIN_SAMPLES);
    private static final String PASSWORD = "benchmark-password";
    /** The distribution's default JVM options (bin/certwatch), for the registry's start. */
    private static final List<String> SERVER_JVM = List.of("-Xms32m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private FilesBench() {
    }

    /** The child JVM of the start measurement: {@code FilesBench DATA} prints "LOAD ms locations". */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        try (Server server = Server.open(data)) {
            long t0 = System.nanoTime();
            LocationRegistry registry = server.openRegistry();
            long millis = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("LOAD " + millis + " " + registry.locations(LocationQuery.all()).size());
        }
    }

    static List<Figure> run() throws Exception {
        Path root = Path.of(System.getProperty("certwatch.root", ".")).toAbsolutePath().resolve("target/bench");
        Path cache = root.resolve("cache/files-100k-distinct");
        Certificates certificates = new Certificates();
        prepare(cache, certificates);
        List<Double> scans = new ArrayList<>();
        List<Double> anchor = new ArrayList<>();
        List<Double> noticed = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> registryHeap = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        for (int sample = 0; sample < SAMPLES; sample++) {
            anchor.add(anchorSeconds(cache));
            Path data = Files.createTempDirectory(root, "files-data");
            try {
                try (Server server = Server.open(data)) {
                    Watching registry = new Watching(server.openRegistry());
                    long empty = Heap.usedAfterGc();
                    FilesSource source = new FilesSource(data, config(root.toString()), registry, new PlainSealer(),
                            new BouncyCastleProvider());
                    try {
                        double cpu0 = processCpuSeconds();
                        long t0 = System.nanoTime();
                        source.start();
                        source.create(new FileWatch(null, cache + "/**.pem", true, "All", false, "bench", null),
                                null, "bench");
                        if (!registry.scanned.await(900, TimeUnit.SECONDS) || registry.present.get() != FILES) {
                            throw new AssertionError("full scan: " + registry.present.get() + " of " + FILES
                                    + " files");
                        }
                        double seconds = (System.nanoTime() - t0) / 1e9;
                        scans.add(seconds);
                        cpu.add(processCpuSeconds() - cpu0);
                        int held = registry.locations(LocationQuery.all()).size();
                        if (held != FILES) {
                            throw new AssertionError("the registry holds " + held + " of " + FILES + " locations");
                        }
                        for (int i = 0; i < 4; i++) {
                            noticed.add(replace(cache, registry, certificates, sample * 4 + i));
                        }
                        long withSource = Heap.usedAfterGc();
                        source.deactivate();
                        source = null;
                        long withoutSource = Heap.usedAfterGc();
                        heap.add((withSource - withoutSource) / (double) FILES);
                        registryHeap.add((withoutSource - empty) / (double) FILES);
                    } finally {
                        if (source != null) {
                            source.deactivate();
                        }
                    }
                }
                loads.add(loadInChild(data));
                System.out.printf(Locale.ROOT, "files: scan of %,d files into the registry and the store %.1f s"
                        + " (%.1f s CPU of the process), anchor %.1f s extrapolated, %.0f bytes heap per file in the"
                        + " source, %.0f in the registry and the store; the registry's start over them %.1f s;"
                        + " load %.1f%n", FILES, last(scans), last(cpu), last(anchor), last(heap), last(registryHeap),
                        last(loads), Report.loadAverage());
            } finally {
                deleteTree(data);
            }
        }
        return List.of(
                new Figure("files: full scan of 100,000 PEM files right after a start (into the registry and the"
                        + " store)", "s", scans, "find -exec openssl x509 -enddate (200 files, ×500)", anchor, "≤ 30 s",
                        false),
                new Figure("files: CPU time of that scan (the whole process: source, registry, store, GC)", "s", cpu,
                        "", List.of(), "≤ 30 s", false),
                new Figure("files: a replaced file noticed (rename to the registry's durable report)", "ms", noticed,
                        "", List.of(), "≤ 2000 ms", false),
                new Figure("files: heap per watched file (the source)", "bytes", heap, "", List.of(), "≤ 1024 bytes",
                        false),
                new Figure("files: heap per location (the registry and the store's certificate)", "bytes",
                        registryHeap, "", List.of(), "—", false),
                new Figure("files: the location registry's start over 100,000 locations (-Xmx256m, C1)", "s", loads,
                        "", List.of(), "—", false));
    }

    private static double last(List<Double> values) {
        return values.get(values.size() - 1);
    }

    /** The store and the registry of one data folder, as the bundles keep them; the registry opened on demand. */
    private static final class Server implements AutoCloseable {
        final Path data;
        final FileAuditLog audit;
        final PkiStore store;
        FileLocationStorage storage;

        private Server(Path data, FileAuditLog audit, PkiStore store) {
            this.data = data;
            this.audit = audit;
            this.store = store;
        }

        static Server open(Path data) throws IOException {
            FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
            try {
                return new Server(data, audit, PkiStore.open(data.resolve("store"), PASSWORD.toCharArray(),
                        Clock.systemUTC(), audit, StoreEvents.NONE, List::of, StoreSettings.defaults(),
                        new BouncyCastleProvider()));
            } catch (IOException | RuntimeException e) {
                audit.close();
                throw e;
            }
        }

        LocationRegistry openRegistry() throws IOException {
            storage = new FileLocationStorage(data.resolve("locations"));
            return new LocationRegistryComponent(storage, store, audit, new LocationsConfiguration() {
                @Override
                public Class<? extends Annotation> annotationType() {
                    return LocationsConfiguration.class;
                }

                @Override
                public int failures_before_notice() {
                    return 3;
                }
            }).open(); // reads the locations, as the server's loader thread does at a start
        }

        @Override
        public void close() throws IOException {
            if (storage != null) {
                storage.close();
            }
            store.awaitFiles();
            store.close();
            audit.close();
        }
    }

    private static double loadInChild(Path data) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(SERVER_JVM);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FilesBench.class.getName(),
                data.toString()));
        Path log = data.resolve("start.log");
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            List<String> lines = Files.readAllLines(log);
            throw new IOException("the registry's start failed: " + out + String.join("\n",
                    lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
        String[] result = out.lines().filter(l -> l.startsWith("LOAD ")).findFirst()
                .orElseThrow(() -> new IOException("no result from the start child: " + out)).split(" ");
        if (Integer.parseInt(result[2]) != FILES) {
            throw new AssertionError("the registry started with " + result[2] + " of " + FILES + " locations");
        }
        return Long.parseLong(result[1]) / 1000.0;
    }

    private static double processCpuSeconds() throws IOException {
        return ProcessCpu.millis(ProcessHandle.current().pid()) / 1000.0;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Replaces one file by rename and times it until the registry has the new certificate. */
    private static double replace(Path cache, Watching registry, Certificates certificates, int n)
            throws Exception {
        int folder = (n * 97) % FOLDERS;
        Path file = cache.resolve(folderName(folder)).resolve(fileName(folder, n % PER_FOLDER));
        byte[] expected = certificates.der("replacement-" + n + ".bench.example", FILES + 1 + n);
        Path temp = file.resolveSibling(".replacement");
        Files.writeString(temp, Certificates.pem(expected));
        registry.expect(file.toString(), expected);
        long t0 = System.nanoTime();
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!registry.seen.await(30, TimeUnit.SECONDS)) {
            throw new AssertionError(file + ": replacement not reported within 30 s");
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        System.out.printf(Locale.ROOT, "files: replaced %s noticed after %.0f ms%n", file.getFileName(), millis);
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


    /** The files, once: a marker says the folder is complete. */
    private static void prepare(Path cache, Certificates certificates) throws Exception {
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
                Files.writeString(folder.resolve(fileName(d, f)),
                        Certificates.pem(certificates.der("site-" + i + ".bench.example", i + 1)));
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

    /** Self-signed P-256 certificates of one key per run, valid from yesterday for 90 to 389 days. */
    private static final class Certificates {
        private final KeyPair key;
        private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);

        Certificates() throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(256);
            key = g.generateKeyPair();
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

    /** The real registry, watched: signals the end of the scan and one expected report once it is durable. */
    private static final class Watching implements LocationRegistry {
        private final LocationRegistry registry;
        final AtomicLong present = new AtomicLong();
        final CountDownLatch scanned = new CountDownLatch(1);
        volatile CountDownLatch seen = new CountDownLatch(1);
        private volatile String address;
        private volatile byte[] certificate;

        Watching(LocationRegistry registry) {
            this.registry = registry;
        }

        void expect(String expectedAddress, byte[] expectedCertificate) {
            seen = new CountDownLatch(1);
            certificate = expectedCertificate;
            address = expectedAddress;
        }

        @Override
        public Location report(Observation o) {
            Location l = registry.report(o);
            saw(o);
            return l;
        }

        @Override
        public List<Location> reportAll(List<Observation> observations) {
            List<Location> out = registry.reportAll(observations);
            observations.forEach(this::saw);
            return out;
        }

        private void saw(Observation o) {
            if (o.succeeded() && o.location().address().equals(address)
                    && Arrays.equals(o.chain().get(0), certificate)) {
                seen.countDown();
            }
        }

        @Override
        public void gone(LocationRef location) {
            registry.gone(location);
        }

        @Override
        public void present(String source, Collection<String> addresses) {
            registry.present(source, addresses);
            if (!addresses.isEmpty() && scanned.getCount() > 0) { // not the scan before the watch exists
                present.set(addresses.size());
                scanned.countDown();
            }
        }

        @Override
        public Optional<Location> location(long id) {
            return registry.location(id);
        }

        @Override
        public Optional<Location> location(LocationRef ref) {
            return registry.location(ref);
        }

        @Override
        public List<Location> locations(LocationQuery query) {
            return registry.locations(query);
        }

        @Override
        public List<LocationHistoryEntry> history(long locationId) {
            return registry.history(locationId);
        }

        @Override
        public Location stopWatching(long locationId, String actor) {
            return registry.stopWatching(locationId, actor);
        }

        @Override
        public Location resumeWatching(long locationId, String actor) {
            return registry.resumeWatching(locationId, actor);
        }

        @Override
        public List<String> sources() {
            return registry.sources();
        }
    }
}
