package org.certwatch.store.internal.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.Role;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.store.internal.core.PkiStore;
import org.certwatch.store.internal.core.StoreEvents;
import org.certwatch.store.internal.core.StoreSettings;

/**
 * Store benchmark: bulk issuance of AGENT certificates (P-256 key generation, signing, encrypted key,
 * durable journal, PEM files, audit entries) next to {@code openssl speed ecdsap256} from the same
 * run, and opening a store of 100,000 certificates in a child JVM limited to 256 MB of heap.
 *
 * <pre>
 * StoreBenchmark [--certs 10000] [--open-size 100000] [--runs 3] [--dir DIR] [--report FILE]
 * StoreBenchmark open DIR        (the child: opens, prints "OPEN ms heapAfterGcBytes peakHeapBytes count")
 * </pre>
 */
public final class StoreBenchmark {
    private static final String PASSWORD = "benchmark-password";

    private StoreBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("open")) {
            openChild(Path.of(args[1]));
            return;
        }
        int certs = 10_000;
        int openSize = 100_000;
        int runs = 3;
        Path dir = null;
        Path report = null;
        boolean keep = false;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--keep" -> {
                    keep = true;
                    i--;
                }
                case "--certs" -> certs = Integer.parseInt(args[i + 1]);
                case "--open-size" -> openSize = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--dir" -> dir = Path.of(args[i + 1]);
                case "--report" -> report = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            dir = Files.createTempDirectory("certwatch-bench");
        }
        List<String> lines = new ArrayList<>();
        lines.add("certwatch store benchmark, " + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version"));
        print(lines);

        double opensslSign = opensslSpeed();
        lines.add(String.format(Locale.ROOT, "openssl speed -seconds 3 ecdsap256: %.0f sign/s", opensslSign));
        print(lines);
        // warm-up, not counted: JIT and provider initialisation
        issue(dir.resolve("warmup"), 1_000);
        List<Double> rates = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            double rate = issue(dir.resolve("issue-" + r), certs);
            rates.add(rate);
            lines.add(String.format(Locale.ROOT, "run %d: %d AGENT certificates (P-256, durable) at %.0f certs/s", r,
                    certs, rate));
            print(lines);
        }
        double median = median(rates);
        lines.add(String.format(Locale.ROOT,
                "bulk issuance median: %.0f certs/s; openssl ecdsap256 %.0f sign/s; ratio %.3f (target >= 1000/s: %s)",
                median, opensslSign, median / opensslSign, median >= 1000 ? "met" : "MISSED"));
        print(lines);

        if (openSize <= 0) {
            deleteTree(dir);
            return;
        }
        Path big = dir.resolve("open-" + openSize);
        long fillStart = System.nanoTime();
        fill(big, openSize);
        lines.add(String.format(Locale.ROOT, "filled a store with %d certificates in %.1f s", openSize,
                (System.nanoTime() - fillStart) / 1e9));
        print(lines);
        List<Double> openTimes = new ArrayList<>();
        List<Double> heaps = new ArrayList<>();
        for (int r = 1; r <= runs; r++) {
            String[] result = openInChild(big);
            double seconds = Long.parseLong(result[1]) / 1000.0;
            double heapMb = Long.parseLong(result[2]) / 1048576.0;
            double peakMb = Long.parseLong(result[3]) / 1048576.0;
            openTimes.add(seconds);
            heaps.add(heapMb);
            lines.add(String.format(Locale.ROOT, "open run %d: %s certificates in %.2f s, heap after GC %.0f MB,"
                    + " old-generation peak %.0f MB, in a JVM with -Xmx256m", r, result[4], seconds, heapMb, peakMb));
            print(lines);
        }
        lines.add(String.format(Locale.ROOT, "open %d certificates median: %.2f s (target <= 5 s: %s), heap after GC"
                + " %.0f MB (limit 256 MB)", openSize, median(openTimes), median(openTimes) <= 5 ? "met" : "MISSED",
                median(heaps)));
        print(lines);
        if (report != null) {
            Files.createDirectories(report.toAbsolutePath().getParent());
            Files.write(report, lines, StandardCharsets.UTF_8);
        }
        if (!keep) {
            deleteTree(dir);
        }
    }

    /** Prints the newest line as soon as it is known (the runs take minutes). */
    private static void print(List<String> lines) {
        System.out.println(lines.get(lines.size() - 1));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
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

    /** Issues n certificates in one bulk call into a fresh store; returns certificates per second. */
    private static double issue(Path data, int n) throws IOException {
        try (FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
                PkiStore store = open(data, audit)) {
            CaInfo ca = store.createCa(CaRequest.of("CN=Bench CA"), "bench");
            List<IssueRequest> requests = agents(ca.id(), n, 0);
            long start = System.nanoTime();
            int issued = store.issueAll(requests, "bench").size();
            double seconds = (System.nanoTime() - start) / 1e9;
            store.awaitFiles();
            double withFiles = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "  %d durable in %.2f s; their PEM files all on disk after %.2f s (%.0f/s)%n",
                    issued, seconds, withFiles, issued / withFiles);
            return issued / seconds;
        }
    }

    private static void fill(Path data, int n) throws IOException {
        try (FileAuditLog audit = new FileAuditLog(data.resolve("audit/audit.log"));
                PkiStore store = open(data, audit)) {
            CaInfo ca = store.createCa(CaRequest.of("CN=Big CA"), "bench");
            for (int done = 0; done < n; done += 10_000) {
                store.issueAll(agents(ca.id(), Math.min(10_000, n - done), done), "bench");
            }
        }
    }

    private static String[] openInChild(Path data) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), StoreBenchmark.class.getName(), "open", data.toString())
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

    /** Runs {@code openssl speed -seconds 3 ecdsap256} and returns its sign/s. */
    static double opensslSpeed() throws Exception {
        Process p = new ProcessBuilder("openssl", "speed", "-seconds", "3", "ecdsap256").redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = Pattern.compile("256 bits ecdsa \\(nistp256\\)\\s+\\S+s\\s+\\S+s\\s+([0-9.]+)\\s+([0-9.]+)")
                .matcher(out);
        if (!m.find()) {
            throw new IOException("cannot read openssl speed output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
