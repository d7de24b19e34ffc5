package org.certwatch.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.BeforeEach;
import org.certwatch.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileScannerTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final MemoryLocationRegistry registry = new MemoryLocationRegistry(clock);
    private final List<Path> folders = new ArrayList<>();
    private FileScanner scanner;
    @TempDir
    Path root;

    @BeforeEach
    void setUp() {
        scanner = new FileScanner(registry, new CertificateReader(new BouncyCastleProvider(), Bounds.DEFAULT), clock,
                folders::add, Bounds.DEFAULT);
    }

    private void watch(String pattern, boolean recursive, Bounds bounds) {
        scanner.configure(List.of(new ActiveWatch("1", "All/Web", new WatchedPath(pattern, recursive), null)),
                List.of(root), bounds);
    }

    private Map<String, Location> byAddress() {
        Map<String, Location> out = new TreeMap<>();
        for (Location l : registry.locations(LocationQuery.all())) {
            out.put(l.ref().address().substring(root.toString().length()), l);
        }
        return out;
    }

    @Test
    void recursiveGlobFindsMatchingFilesInEveryFolderAndReportsThemOnce() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        TestCertificates.writePem(root.resolve("top.pem"), TestCertificates.selfSigned("top"));
        TestCertificates.writePem(root.resolve("a/one.pem"), TestCertificates.selfSigned("one"));
        TestCertificates.writePem(root.resolve("a/b/two.pem"), TestCertificates.selfSigned("two"));
        Files.writeString(root.resolve("a/b/notes.txt"), "not watched");
        watch(root + "/**.pem", false, Bounds.DEFAULT);

        scanner.fullScan();

        Map<String, Location> found = byAddress();
        assertEquals(List.of("/a/b/two.pem", "/a/one.pem", "/top.pem"), List.copyOf(found.keySet()));
        assertTrue(found.values().stream().allMatch(l -> l.state() == LocationState.OK
                && l.ref().homeGroup().equals("All/Web")));
        assertTrue(folders.containsAll(List.of(root, root.resolve("a"), root.resolve("a/b"))), folders.toString());
        Instant first = found.get("/top.pem").lastCheck();

        clock.advance(Duration.ofMinutes(5));
        scanner.fullScan(); // unchanged files are not read again
        assertEquals(first, byAddress().get("/top.pem").lastCheck());
    }

    @Test
    void aScanReportsInBatchesAndABatchTheRegistryRefusesIsReadAgain() throws Exception {
        String pem = TestCertificates.pem(TestCertificates.selfSigned("many"));
        int files = 2 * FileScanner.BATCH + 1;
        for (int i = 0; i < files; i++) {
            Files.writeString(root.resolve(String.format("%04d.pem", i)), pem);
        }
        BatchingRegistry batching = new BatchingRegistry(registry);
        scanner = new FileScanner(batching, new CertificateReader(new BouncyCastleProvider(), Bounds.DEFAULT), clock,
                folders::add, Bounds.DEFAULT);
        watch(root + "/*.pem", false, Bounds.DEFAULT);
        batching.refuse = true;
        assertThrows(IllegalStateException.class, scanner::fullScan);
        batching.refuse = false;

        scanner.fullScan();
        assertEquals(List.of("reportAll 500", "reportAll 500", "reportAll 1", "present " + files), batching.calls,
                "every file again: none of the refused batch's files counts as read");
        assertEquals(files, byAddress().size());

        batching.calls.clear();
        Files.delete(root.resolve("0000.pem"));
        Files.writeString(root.resolve("0001.pem"), TestCertificates.pem(TestCertificates.selfSigned("other")));
        scanner.changed(root.resolve("0001.pem"));
        scanner.changed(root.resolve("0000.pem"));
        assertEquals(List.of("reportAll 1", "gone"), batching.calls, "an event's report is handed over at once");
    }

    @Test
    void replacedFileIsReadAgainAndRemovedFileGoes() throws Exception {
        Path file = root.resolve("site.pem");
        TestCertificates.writePem(file, TestCertificates.selfSigned("old"));
        watch(root.toString(), true, Bounds.DEFAULT);
        scanner.fullScan();
        Instant first = byAddress().get("/site.pem").lastCheck();

        clock.advance(Duration.ofSeconds(3));
        Path next = root.resolve(".next");
        TestCertificates.writePem(next, TestCertificates.selfSigned("new"));
        Files.move(next, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        scanner.changed(file);
        assertTrue(byAddress().get("/site.pem").lastCheck().isAfter(first));

        Files.delete(file);
        scanner.changed(file);
        assertEquals(LocationState.GONE, byAddress().get("/site.pem").state());
    }

    @Test
    void removedFileMissedByEventsGoesAtTheNextFullScan() throws Exception {
        TestCertificates.writePem(root.resolve("a.pem"), TestCertificates.selfSigned("a"));
        TestCertificates.writePem(root.resolve("b.pem"), TestCertificates.selfSigned("b"));
        watch(root + "/*.pem", false, Bounds.DEFAULT);
        scanner.fullScan();
        Files.delete(root.resolve("a.pem"));

        scanner.fullScan();

        assertEquals(LocationState.GONE, byAddress().get("/a.pem").state());
        assertEquals(LocationState.OK, byAddress().get("/b.pem").state());
    }

    @Test
    void keystoreAliasesAreLocationsAndAWrongPasswordFailsEachOfThem() throws Exception {
        char[] password = "s3cret".toCharArray();
        Path jks = root.resolve("store.jks");
        Files.write(jks, TestCertificates.jksWithKey(password, TestCertificates.selfSigned("web"), TestCertificates.selfSigned("ca")));
        scanner.configure(List.of(new ActiveWatch("1", "All", new WatchedPath(jks.toString(), false), password)),
                List.of(root), Bounds.DEFAULT);
        scanner.fullScan();
        assertEquals(List.of("/store.jks#ca", "/store.jks#web"), List.copyOf(byAddress().keySet()));

        scanner.configure(List.of(new ActiveWatch("1", "All", new WatchedPath(jks.toString(), false),
                "wrong".toCharArray())), List.of(root), Bounds.DEFAULT);
        scanner.fullScan();
        for (Location l : byAddress().values()) {
            assertEquals(LocationState.FAILING, l.state());
            assertEquals(LocationFailure.WRONG_PASSWORD, l.failure());
            assertEquals(jks + ": the password does not open this Java keystore", l.reason());
        }
        scanner.fullScan(); // a failing file is read again at every scan, so failures count up
        assertEquals(2, byAddress().get("/store.jks#web").consecutiveFailures());
    }

    @Test
    void aNamedFileThatIsMissingFailsRatherThanGoes() throws Exception {
        Path file = root.resolve("expected.pem");
        watch(file.toString(), false, Bounds.DEFAULT);
        scanner.fullScan();
        Location l = byAddress().get("/expected.pem");
        assertEquals(LocationFailure.MISSING, l.failure());
        assertEquals(file + ": no such file", l.reason());
    }

    @Test
    void aGlobMatchingTooManyFilesStopsAtTheBoundAndSaysSo() throws Exception {
        Path many = Files.createDirectories(root.resolve("many"));
        for (int i = 0; i < 5_000; i++) {
            Files.createFile(many.resolve("f" + i + ".pem"));
        }
        Bounds small = new Bounds(Bounds.DEFAULT.rescanInterval(), Duration.ZERO, 1024, 10, 10, 1_000);
        watch(root + "/many/*.pem", false, small);

        long started = System.nanoTime();
        scanner.fullScan();

        assertTrue(System.nanoTime() - started < Duration.ofSeconds(30).toNanos());
        assertEquals(1_000, scanner.trackedFiles());
        assertEquals(Map.of(root + "/many/*.pem", "stopped at 1000 files (max.files.per.watch)"),
                scanner.stoppedWalks());
    }

    @Test
    void aFolderLinkLoopIsUnreadableAndTheWalkEnds() throws Exception {
        Path a = Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(a.resolve("back"), root);
        Files.createSymbolicLink(root.resolve("self.pem"), root.resolve("self.pem"));
        TestCertificates.writePem(a.resolve("ok.pem"), TestCertificates.selfSigned("ok"));
        watch(root.toString(), true, Bounds.DEFAULT);

        scanner.fullScan();

        Map<String, Location> found = byAddress();
        assertEquals(LocationState.OK, found.get("/a/ok.pem").state());
        assertEquals(root.resolve("a/back") + ": symbolic link loop", found.get("/a/back").reason());
        assertEquals(LocationFailure.UNREADABLE, found.get("/self.pem").failure());
    }

    @Test
    void aLinkLeadingOutsideTheAllowedRootsIsNotRead(@TempDir Path elsewhere) throws Exception {
        TestCertificates.writePem(elsewhere.resolve("secret.pem"), TestCertificates.selfSigned("outside"));
        Files.createSymbolicLink(root.resolve("link.pem"), elsewhere.resolve("secret.pem"));
        watch(root.toString(), false, Bounds.DEFAULT);

        scanner.fullScan();

        Location l = byAddress().get("/link.pem");
        assertEquals(LocationFailure.UNREADABLE, l.failure());
        assertEquals(root.resolve("link.pem") + ": leads outside the allowed roots", l.reason());
    }
}
