package org.certwatch.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreEvents;
import org.certwatch.store.internal.core.StoreSettings;
import org.certwatch.store.internal.persist.FormatVersion;

/**
 * {@code ./certwatch bench store}: the store's engine in-process (as the bundle runs it, without the
 * framework around it). Bulk issuance of AGENT certificates — P-256 key generation, signing, encrypted
 * key, durable journal, PEM files, audit entries — next to {@code openssl speed ecdsap256} sign/s
 * measured between the runs; and opening a store of 100,000 certificates in a child JVM limited to
 * 256 MB of heap, as the distribution's default {@code -Xmx256m} would.
 */
final class StoreBench {
    private static final String PASSWORD = "benchmark-password";
    private static final int CERTS = Integer.getInteger("certwatch.bench.store.certs", 10_000);
    private static final int OPEN_SIZE = Integer.getInteger("certwatch.bench.store.open", 100_000);
    private static final int RUNS = Integer.getInteger("certwatch.bench.store.runs", Figure.MIN_SAMPLES);

    private StoreBench() {
    }

    /** The child JVM of the open measurement: {@code StoreBench DIR} prints "OPEN ms heapAfterGc oldPeak count". */
    public static void main(String[] args) throws Exception {
        openChild(Path.of(args[0]));
    }

    static List<Figure> run() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("certwatch.workRoot", "target/bench/work")))
                .resolve("store-" + System.nanoTime());
        try {
            return measure(dir);
        } finally {
            Folders.deleteTree(dir);
        }
    }

    private static List<Figure> measure(Path dir) throws Exception {
        issue(dir.resolve("warmup"), 1_000); // JIT and provider initialisation, not counted
        List<Double> rates = new ArrayList<>();
        List<Double> sign = new ArrayList<>();
        for (int r = 1; r <= RUNS; r++) {
            sign.add(OpenSslSpeed.ecdsaP256().sign());
            rates.add(issue(dir.resolve("issue-" + r), CERTS));
            System.out.printf(Locale.ROOT, "run %d: %d AGENT certificates (P-256, durable) at %.0f/s; openssl %.0f sign/s%n",
                    r, CERTS, rates.get(r - 1), sign.get(r - 1));
            Folders.deleteTree(dir.resolve("issue-" + r));
        }
        Path big = bigStore();
        List<Double> openSeconds = new ArrayList<>();
        List<Double> heapMb = new ArrayList<>();
        for (int r = 1; r <= RUNS; r++) {
            String[] result = openInChild(big);
            openSeconds.add(Long.parseLong(result[1]) / 1000.0);
            heapMb.add(Long.parseLong(result[2]) / 1048576.0);
            System.out.printf(Locale.ROOT, "open run %d: %s certificates in %.2f s, heap after GC %.0f MB%n", r, result[4],
                    openSeconds.get(r - 1), heapMb.get(r - 1));
        }
        return List.of(
                new Figure("store: durable issuance, " + CERTS + " AGENT certificates (P-256)", "/s", rates,
                        "openssl speed ecdsap256 sign/s (1 core)", sign, "≥ 1000/s", true),
                new Figure("store: open a store of " + OPEN_SIZE + " certificates (-Xmx256m)", "s", openSeconds, "",
                        List.of(), "≤ 5 s", false),
                new Figure("store: heap after opening " + OPEN_SIZE + " certificates", "MB", heapMb, "", List.of(),
                        "≤ 256 MB", false));
    }

    private static PkiStore open(Path data, FileAuditLog audit) throws IOException {
        return PkiStore.open(data.resolve("store"), PASSWORD.toCharArray(), Clock.systemUTC(), audit,
                StoreEvents.NONE, List::of, StoreSettings.defaults(), new BouncyCastleProvider());
    }

    private static List<IssueRequest> agents(long caId, int n, int offset) {
        List<IssueRequest> requests = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            requests.add(IssueRequest.of(caId, Role.AGENT, "agent" + (offset + i) + ".example.org"));
        }
        return requests;
    }

    /** Issues n certificates in one bulk call into a fresh store; certificates per second until durable. */
    private static double issue(Path data, int n) throws IOException {
        try (FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
                PkiStore store = open(data, audit)) {
            CaInfo ca = store.createCa(CaRequest.of("CN=Bench CA"), "bench");
            List<IssueRequest> requests = agents(ca.id(), n, 0);
            long start = System.nanoTime();
            int issued = store.issueAll(requests, "bench").size();
            double rate = issued / ((System.nanoTime() - start) / 1e9);
            store.awaitFiles();
            return rate;
        }
    }

    /**
     * The store of OPEN_SIZE certificates, kept in {@code target/bench/cache/} per store format version:
     * filling it takes minutes and deleting its files about as long, for a figure that does not depend
     * on when the store was written.
     */
    private static Path bigStore() throws IOException {
        Path cache = Path.of(System.getProperty("certwatch.root", ".")).resolve("target/bench/cache")
                .resolve("store-format" + FormatVersion.CURRENT + "-" + OPEN_SIZE);
        if (Files.exists(cache.resolve("complete"))) {
            System.out.println("reusing the store of " + OPEN_SIZE + " certificates in " + cache);
            return cache;
        }
        Folders.deleteTree(cache);
        long fillStart = System.nanoTime();
        fill(cache, OPEN_SIZE);
        Files.writeString(cache.resolve("complete"), "");
        System.out.printf(Locale.ROOT, "filled a store with %d certificates in %.1f s (kept in %s)%n", OPEN_SIZE,
                (System.nanoTime() - fillStart) / 1e9, cache);
        return cache;
    }

    private static void fill(Path data, int n) throws IOException {
        try (FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
                PkiStore store = open(data, audit)) {
            CaInfo ca = store.createCa(CaRequest.of("CN=Big CA"), "bench");
            for (int done = 0; done < n; done += 10_000) {
                store.issueAll(agents(ca.id(), Math.min(10_000, n - done), done), "bench");
            }
            store.awaitFiles();
        }
    }

    private static String[] openInChild(Path data) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), StoreBench.class.getName(), data.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("open child failed: " + out);
        }
        return out.lines().filter(l -> l.startsWith("OPEN ")).findFirst()
                .orElseThrow(() -> new IOException("no result from the open child: " + out)).split(" ");
    }

    private static void openChild(Path data) throws Exception {
        try (FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"))) {
            long start = System.nanoTime();
            PkiStore store = open(data, audit);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.gc();
            long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
            long oldPeak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP && pool.getName().contains("Old")) {
                    oldPeak = pool.getPeakUsage().getUsed();
                }
            }
            System.out.println("OPEN " + millis + " " + heap + " " + oldPeak + " " + store.size());
            store.close();
        }
    }
}
