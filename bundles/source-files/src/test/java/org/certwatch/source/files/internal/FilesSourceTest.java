package org.certwatch.source.files.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.SecretSealer;
import org.certwatch.testing.MemoryLocationRegistry;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.certwatch.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilesSourceTest {
    /** Reverses and base64-encodes: enough to show only sealed forms reach the disk. */
    static final class TestSealer implements SecretSealer {
        @Override
        public String seal(char[] secret) {
            return "sealed:" + Base64.getEncoder().encodeToString(new StringBuilder(new String(secret)).reverse()
                    .toString().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public char[] open(String sealed) {
            if (!sealed.startsWith("sealed:")) {
                throw new CertificateStoreException("not sealed here");
            }
            return new StringBuilder(new String(Base64.getDecoder().decode(sealed.substring(7)),
                    StandardCharsets.UTF_8)).reverse().toString().toCharArray();
        }
    }

    static FilesConfiguration config(String... roots) {
        return new FilesConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return FilesConfiguration.class;
            }

            @Override
            public String[] allowed_roots() {
                return roots;
            }

            @Override
            public String rescan_interval() {
                return "PT5M";
            }

            @Override
            public int debounce_ms() {
                return 100;
            }

            @Override
            public int max_file_bytes() {
                return 1024 * 1024;
            }

            @Override
            public int max_aliases() {
                return 100;
            }

            @Override
            public int max_certificates() {
                return 100;
            }

            @Override
            public int max_files_per_watch() {
                return 1000;
            }
        };
    }

    private final MemoryLocationRegistry registry = new MemoryLocationRegistry(SettableClock.atSystemTime());
    private final List<FilesSource> started = new ArrayList<>();
    @TempDir
    Path data;
    @TempDir
    Path watched;

    private FilesSource start(FilesConfiguration config) throws Exception {
        FilesSource source = new FilesSource(data.resolve("files"), config, registry, new TestSealer(),
                new BouncyCastleProvider());
        source.start();
        started.add(source);
        return source;
    }

    @AfterEach
    void stop() throws Exception {
        for (FilesSource s : started) {
            s.deactivate();
        }
    }

    private static FileWatch watch(String pattern) {
        return new FileWatch(null, pattern, true, "All", false, "web servers", null);
    }

    @Test
    void withoutAllowedRootsEveryWatchIsRefusedSayingHowToConfigure() throws Exception {
        FilesSource source = start(config());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> source.create(watch(watched.toString()), null, "admin"));
        assertTrue(e.getMessage().contains("allowed.roots") && e.getMessage().contains("org.certwatch.source.files.cfg"),
                e.getMessage());
    }

    @Test
    void patternsOutsideTheRootsRelativeOrWithDotSegmentsAreRefused() throws Exception {
        FilesSource source = start(config(watched.toString()));
        for (String bad : List.of("/etc/ssl", "relative/*.pem", watched + "/../etc", watched + "/./x")) {
            assertThrows(IllegalArgumentException.class, () -> source.create(watch(bad), null, "admin"), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> source.create(
                new FileWatch(null, watched.toString(), true, "Nowhere", false, "", null), null, "admin"));
        assertEquals(List.of(), source.watches());
    }

    @Test
    void watchesAreDurableIdsNeverReusedAndPasswordsOnlySealed() throws Exception {
        FilesSource source = start(config(watched.toString()));
        FileWatch a = source.create(watch(watched + "/*.p12"), "hunter2-secret".toCharArray(), "admin");
        FileWatch b = source.create(watch(watched + "/*.pem"), null, "admin");
        assertTrue(a.hasPassword());
        assertFalse(b.hasPassword());
        source.delete(b.id(), "admin");
        String onDisk = Files.readString(data.resolve("files/watches.json"));
        assertFalse(onDisk.contains("hunter2-secret"), onDisk);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("files/watches.json"))));
        source.deactivate();
        started.clear();

        FilesSource again = start(config(watched.toString()));
        assertEquals(List.of(a.id()), again.watches().stream().map(FileWatch::id).toList());
        FileWatch c = again.create(watch(watched + "/*.crt"), null, "admin");
        assertEquals("3", c.id());
        FileWatch kept = again.update(new FileWatch(a.id(), a.pattern(), false, "All", false, "changed", null), null,
                "admin");
        assertTrue(kept.hasPassword());
        assertEquals(a.createdAt(), kept.createdAt());
        FileWatch cleared = again.update(kept, new char[0], "admin");
        assertFalse(cleared.hasPassword());
    }

    @Test
    void aWatchedFileIsReportedAndAReplacementNoticedFromEvents() throws Exception {
        FilesSource source = start(config(watched.toString()));
        Path file = watched.resolve("site.pem");
        TestCertificates.writePem(file, TestCertificates.selfSigned("first"));
        source.create(watch(watched.toString()), null, "admin");
        LocationRef ref = new LocationRef("files", LocationKind.FILE, file.toString(), "All");
        Location first = await(() -> registry.location(ref).filter(l -> l.state() == LocationState.OK));

        Path next = watched.resolve(".next");
        TestCertificates.writePem(next, TestCertificates.selfSigned("second"));
        Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        await(() -> registry.location(ref).filter(l -> l.lastCheck().isAfter(first.lastCheck())));

        Files.writeString(file, "garbage");
        Location corrupt = await(() -> registry.location(ref).filter(l -> l.state() == LocationState.FAILING));
        assertEquals(LocationFailure.CORRUPT, corrupt.failure());

        Files.delete(file);
        await(() -> registry.location(ref).filter(l -> l.state() == LocationState.GONE));
        assertEquals("1 watched paths", source.summary());
    }

    /** Waits for the source's own threads (events, debounce), not for time to pass in the code under test. */
    private static <T> T await(Supplier<Optional<T>> condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return value.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("not reached within 30 s at " + Instant.now());
    }

    /** The fleet's renames as a stub of its service: every rename since a number. */
    private record Renames(List<org.certwatch.api.fleet.GroupRename> all) implements org.certwatch.api.fleet.GroupRenames {
        @Override
        public List<org.certwatch.api.fleet.GroupRename> since(long number) {
            return all.stream().filter(r -> r.number() > number).toList();
        }

        @Override
        public long last() {
            return all.size();
        }
    }

    @Test
    void watchesFollowTheRenamesOfTheirGroupDurably() throws Exception {
        FilesSource source = start(config(watched.toString()));
        FileWatch lab = source.create(new FileWatch(null, watched + "/*.pem", true, "All/Berlin/Lab/Bench", false, "", null),
                null, "admin");
        FileWatch other = source.create(new FileWatch(null, watched + "/*.crt", true, "All/Berlin/Labs", false, "", null),
                null, "admin");
        source.bindRenames(new Renames(List.of(new org.certwatch.api.fleet.GroupRename(1, "All/Berlin/Lab", "All/Berlin/Lab-2",
                java.time.Instant.now()))));
        source.followRenamesNow(); // done by then, here or on the follower's thread
        assertEquals("All/Berlin/Lab-2/Bench", source.watch(lab.id()).orElseThrow().homeGroup());
        assertEquals("All/Berlin/Labs", source.watch(other.id()).orElseThrow().homeGroup());
        source.deactivate();
        started.clear();
        assertEquals("All/Berlin/Lab-2/Bench", start(config(watched.toString())).watch(lab.id()).orElseThrow().homeGroup(),
                "stored so");
    }
}
