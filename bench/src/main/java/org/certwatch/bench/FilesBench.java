package org.certwatch.bench;

import static org.certwatch.bench.Figure.last;
import static org.certwatch.bench.FilesCorpus.FILES;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.source.files.internal.FilesSource;

/**
 * {@code ./certwatch bench files}: the files source over 100,000 PEM files of 100,000 distinct certificates
 * ({@link FilesCorpus}), run in this JVM on the real path: the store's engine and the location registry
 * ({@link FilesServer}), both opened first and not timed, as a server that just started. Per sample a fresh source is
 * given one watch and timed until its full scan has every location in the registry (imported into the store, saved
 * durably); then replaced files are timed from the rename until the registry has the new certificate; the heap the
 * source keeps and the heap the registry and the store add are read after full GCs; and the registry's start over
 * those 100,000 locations is timed in a child JVM with the distribution's JVM options ({@link FilesRegistryStart}).
 * Anchor: {@code find … -exec openssl x509 -noout -enddate} over 200 of the files, extrapolated to 100,000.
 */
final class FilesBench {
    private static final int SAMPLES = Integer.getInteger("certwatch.bench.files.samples", Figure.MIN_SAMPLES);

    private FilesBench() {
    }

    static List<Figure> run() throws Exception {
        Path root = Path.of(System.getProperty("certwatch.root", ".")).toAbsolutePath().resolve("target/bench");
        FilesCorpus corpus = new FilesCorpus(root.resolve("cache/files-100k-distinct"));
        corpus.prepare();
        List<Double> scans = new ArrayList<>();
        List<Double> anchor = new ArrayList<>();
        List<Double> noticed = new ArrayList<>();
        List<Double> heap = new ArrayList<>();
        List<Double> registryHeap = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        List<Double> loads = new ArrayList<>();
        for (int sample = 0; sample < SAMPLES; sample++) {
            anchor.add(corpus.anchorSeconds());
            Path data = Files.createTempDirectory(root, "files-data");
            try {
                try (FilesServer server = FilesServer.open(data)) {
                    WatchingRegistry registry = new WatchingRegistry(server.openRegistry());
                    long empty = Heap.usedAfterGc();
                    FilesSource source = new FilesSource(data, FilesSettings.of(root.toString()), registry,
                            new FilesSettings.PlainSealer(), new BouncyCastleProvider());
                    try {
                        double cpu0 = processCpuSeconds();
                        long t0 = System.nanoTime();
                        source.start();
                        source.create(new FileWatch(null, corpus.folder() + "/**.pem", true, "All", false, "bench",
                                null), null, "bench");
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
                            noticed.add(replace(corpus, registry, sample * 4 + i));
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
                loads.add(FilesRegistryStart.seconds(data, FILES));
                System.out.printf(Locale.ROOT, "files: scan of %,d files into the registry and the store %.1f s"
                        + " (%.1f s CPU of the process), anchor %.1f s extrapolated, %.0f bytes heap per file in the"
                        + " source, %.0f in the registry and the store; the registry's start over them %.1f s;"
                        + " load %.1f%n", FILES, last(scans), last(cpu), last(anchor), last(heap), last(registryHeap),
                        last(loads), Report.loadAverage());
            } finally {
                Folders.deleteTree(data);
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

    private static double processCpuSeconds() throws IOException {
        return ProcessCpu.millis(ProcessHandle.current().pid()) / 1000.0;
    }

    /** Replaces one file by rename and times it until the registry has the new certificate. */
    private static double replace(FilesCorpus corpus, WatchingRegistry registry, int n) throws Exception {
        Path file = corpus.replaced(n);
        byte[] expected = corpus.der("replacement-" + n + ".bench.example", FILES + 1 + n);
        Path temp = file.resolveSibling(".replacement");
        Files.writeString(temp, FilesCorpus.pem(expected));
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
}
