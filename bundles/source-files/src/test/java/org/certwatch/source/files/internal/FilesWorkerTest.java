package org.certwatch.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.testing.MemoryLeadership;
import org.certwatch.testing.MemoryLocationRegistry;
import org.certwatch.testing.SettableClock;
import org.certwatch.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's timing by the injected clock, driven without its thread. */
class FilesWorkerTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-01T10:00:00Z"));
    private final MemoryLocationRegistry registry = new MemoryLocationRegistry(clock);
    private final Bounds bounds = new Bounds(Duration.ofMinutes(5), Duration.ofMillis(300), 1024 * 1024, 10, 10, 100);
    @TempDir
    Path root;

    @Test
    void anEventIsReadOnlyAfterTheQuietTimeAndTheRescanFollowsItsInterval() throws Exception {
        FileScanner scanner = new FileScanner(registry, new CertificateReader(new BouncyCastleProvider(), bounds),
                clock, folder -> { }, bounds);
        scanner.configure(List.of(new ActiveWatch("1", "All", new WatchedPath(root.toString(), false), null)),
                List.of(root), bounds);
        FilesWorker worker = new FilesWorker(scanner, clock, () -> bounds);
        worker.runDue(); // the first full scan: nothing there yet
        Path file = root.resolve("a.pem");
        TestCertificates.writePem(file, TestCertificates.selfSigned("a"));
        LocationRef ref = new LocationRef("files", LocationKind.FILE, file.toString(), "All");

        worker.changed(file);
        worker.drain();
        clock.advance(Duration.ofMillis(299));
        worker.runDue();
        assertTrue(registry.location(ref).isEmpty(), "read before the quiet time ended");
        worker.changed(file); // a second event starts the quiet time again
        worker.drain();
        clock.advance(Duration.ofMillis(299));
        worker.runDue();
        assertTrue(registry.location(ref).isEmpty());
        clock.advance(Duration.ofMillis(1));
        worker.runDue();
        assertEquals(Instant.parse("2026-12-01T10:00:00.599Z"), registry.location(ref).orElseThrow().lastCheck());

        Path missed = root.resolve("b.pem");
        TestCertificates.writePem(missed, TestCertificates.selfSigned("b"));
        clock.advance(Duration.ofMinutes(4));
        worker.runDue();
        LocationRef missedRef = new LocationRef("files", LocationKind.FILE, missed.toString(), "All");
        assertTrue(registry.location(missedRef).isEmpty(), "rescanned before its interval");
        clock.advance(Duration.ofMinutes(1));
        worker.runDue();
        assertTrue(registry.location(missedRef).isPresent(), "the rescan finds what events missed");
    }

    @Test
    void onlyTheLeaderReadsAndScansANewLeaderScansAtOnce() throws Exception {
        FileScanner scanner = new FileScanner(registry, new CertificateReader(new BouncyCastleProvider(), bounds),
                clock, folder -> { }, bounds);
        scanner.configure(List.of(new ActiveWatch("1", "All", new WatchedPath(root.toString(), false), null)),
                List.of(root), bounds);
        MemoryLeadership lease = new MemoryLeadership("b", false);
        FilesWorker worker = new FilesWorker(scanner, clock, () -> bounds, lease::isLeader);
        Path file = root.resolve("a.pem");
        TestCertificates.writePem(file, TestCertificates.selfSigned("a"));
        LocationRef ref = new LocationRef("files", LocationKind.FILE, file.toString(), "All");

        worker.runDue();
        worker.changed(file);
        worker.drain();
        clock.advance(Duration.ofMinutes(10));
        worker.runDue();
        assertTrue(registry.location(ref).isEmpty(), "another server leads: nothing read, nothing scanned");

        lease.set(true);
        worker.rescanNow(); // what the source does when the lease comes
        worker.drain();
        worker.runDue();
        assertTrue(registry.location(ref).isPresent(), "the new leader scanned at once");
    }
}
