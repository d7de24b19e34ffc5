package org.certwatch.source.files.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.Observation;
import org.certwatch.commons.certs.Container.Entry;
import org.certwatch.source.files.internal.FileContent.Certificates;
import org.certwatch.source.files.internal.FileContent.Failure;

/**
 * Turns the watched files into reports to the location registry. Confined to one thread (the worker's): a full
 * scan walks every watch, reads the files that changed since they were last read (and those failing, so
 * failures count up) and then tells the registry which locations exist; an event re-checks one path. Reports go
 * in batches of up to {@link #BATCH} ({@link LocationRegistry#reportAll}: one store import and one durable write
 * each), handed over before anything else is said about a location and at the end of each scan or event.
 */
final class FileScanner {
    static final String SOURCE = "files";
    static final int BATCH = 500;
    private static final Logger LOG = Logger.getLogger("org.certwatch.source.files");

    /** What the scanner remembers of a file it read: kept small, there may be 100,000s of them. */
    private static final class Tracked {
        final String watchId;
        final String homeGroup;
        long size;
        long modified;
        Object key;
        /** The keystore aliases last reported, null for a certificate file (one location, the path). */
        String[] aliases;
        boolean failing;

        Tracked(String watchId, String homeGroup) {
            this.watchId = watchId;
            this.homeGroup = homeGroup;
        }

        boolean same(BasicFileAttributes a) {
            return a.size() == size && a.lastModifiedTime().toMillis() == modified && Objects.equals(a.fileKey(), key);
        }

        List<String> addresses(String path) {
            if (aliases == null) {
                return List.of(path);
            }
            List<String> out = new ArrayList<>(aliases.length);
            for (String alias : aliases) {
                out.add(path + "#" + alias);
            }
            return out;
        }
    }

    private final LocationRegistry registry;
    private final CertificateReader reader;
    private final Clock clock;
    private final Consumer<Path> folders;
    private final Map<String, Tracked> tracked = new HashMap<>();
    private final Map<String, String> stopped = new LinkedHashMap<>();
    /** Folders known to resolve under a root (or not), forgotten at each full scan and folder event. */
    private final Map<Path, Boolean> foldersInside = new HashMap<>();
    private final List<Observation> batch = new ArrayList<>();
    /** The files of the batch's reports: read again at the next scan if the registry fails to take them. */
    private final List<Tracked> batchFiles = new ArrayList<>();
    private List<ActiveWatch> watches = List.of();
    private List<Path> roots = List.of();
    private Bounds bounds;
    private volatile boolean cancelled;

    /** {@code folders}: each folder a walk passes, to be watched for events. */
    FileScanner(LocationRegistry registry, CertificateReader reader, Clock clock, Consumer<Path> folders,
            Bounds bounds) {
        this.registry = registry;
        this.reader = reader;
        this.clock = clock;
        this.folders = folders;
        this.bounds = bounds;
    }

    /** The watches in id order (the first one matching a file names its group) and the allowed roots. */
    void configure(List<ActiveWatch> next, List<Path> allowedRoots, Bounds nextBounds) {
        Map<String, ActiveWatch> before = new HashMap<>();
        watches.forEach(w -> before.put(w.id(), w));
        for (Tracked t : tracked.values()) {
            ActiveWatch now = next.stream().filter(w -> w.id().equals(t.watchId)).findFirst().orElse(null);
            if (now == null || !now.sameAs(before.get(t.watchId))) {
                t.modified = Long.MIN_VALUE; // read again at the next scan: a new password, group or bounds
            }
        }
        this.watches = List.copyOf(next);
        this.roots = allowedRoots.stream().map(FileScanner::real).toList();
        foldersInside.clear();
        this.bounds = nextBounds;
        reader.bounds(nextBounds);
    }

    /** Ends the scan in progress (the component stops): nothing more is reported, nothing is settled. */
    void cancel() {
        cancelled = true;
    }

    int trackedFiles() {
        return tracked.size();
    }

    /** Watches whose last walk stopped at a bound, by pattern, with the reason. */
    Map<String, String> stoppedWalks() {
        return Map.copyOf(stopped);
    }

    /** Walks every watch, reads what changed, and settles the locations no file holds any more. */
    void fullScan() {
        Set<String> seen = new HashSet<>();
        Set<String> keep = new HashSet<>();
        stopped.clear();
        foldersInside.clear();
        for (ActiveWatch w : watches) {
            if (w.path().namesOneFile() && !Files.exists(w.path().base())) {
                String p = w.path().base().toString();
                seen.add(p);
                check(w.path().base(), w, true);
                continue;
            }
            try {
                WatchedPath.Walk walk = w.path().walk(f -> {
                    if (seen.add(f.toString())) {
                        check(f, w, false);
                    }
                }, loop -> {
                    if (seen.add(loop.toString())) {
                        fail(loop.toString(), w, new Failure(LocationFailure.UNREADABLE, loop + ": symbolic link loop"));
                    }
                }, folders, bounds.maxFilesPerWatch(), saturatedTimes4(bounds.maxFilesPerWatch()));
                if (walk.stopped() != null) {
                    stopped.put(w.path().pattern(), walk.stopped());
                    keepWatchFiles(w, keep);
                    LOG.warning("files source: " + w.path().pattern() + ": " + walk.stopped());
                }
            } catch (IOException e) {
                LOG.warning("files source: " + w.path().pattern() + ": " + e.getMessage());
                keepWatchFiles(w, keep);
            }
        }
        List<String> addresses = new ArrayList<>();
        for (Iterator<Map.Entry<String, Tracked>> it = tracked.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Tracked> e = it.next();
            if (seen.contains(e.getKey()) || keep.contains(e.getKey())) {
                addresses.addAll(e.getValue().addresses(e.getKey()));
            } else {
                it.remove();
            }
        }
        flush();
        registry.present(SOURCE, addresses);
    }

    private static int saturatedTimes4(int n) {
        return n > Integer.MAX_VALUE / 4 ? Integer.MAX_VALUE : n * 4;
    }

    /** A walk that stopped early leaves the files it did not reach as they were. */
    private void keepWatchFiles(ActiveWatch w, Set<String> keep) {
        tracked.forEach((path, t) -> {
            if (t.watchId.equals(w.id())) {
                keep.add(path);
            }
        });
    }

    /** A file-system event for {@code path}: a file changed, appeared or went, or a folder appeared or went. */
    void changed(Path path) {
        recheck(path);
        flush();
    }

    private void recheck(Path path) {
        if (Files.isDirectory(path)) {
            foldersInside.clear();
            for (ActiveWatch w : watches) {
                if (path.startsWith(w.path().base())) {
                    folders.accept(path);
                    try {
                        // a new folder's files may have arrived before its events were watched
                        new WatchedPath(path + "/**", true).walk(f -> {
                            if (w.path().matches(f) && owner(f) == w) {
                                check(f, w, false);
                            }
                        }, loop -> { }, folders, bounds.maxFilesPerWatch(), saturatedTimes4(bounds.maxFilesPerWatch()));
                    } catch (IOException e) {
                        LOG.warning("files source: " + path + ": " + e.getMessage());
                    }
                    return;
                }
            }
            return;
        }
        ActiveWatch w = owner(path);
        if (w != null && (Files.exists(path) || w.path().namesOneFile() || Files.isSymbolicLink(path))) {
            check(path, w, false);
            return;
        }
        String key = path.toString();
        if (tracked.containsKey(key)) {
            removed(key);
        } else {
            // a removed folder: everything below it went too
            String prefix = key + "/";
            for (String p : List.copyOf(tracked.keySet())) {
                if (p.startsWith(prefix)) {
                    removed(p);
                }
            }
        }
    }

    private ActiveWatch owner(Path file) {
        for (ActiveWatch w : watches) {
            if (w.path().matches(file)) {
                return w;
            }
        }
        return null;
    }

    private void removed(String path) {
        Tracked t = tracked.remove(path);
        for (String address : t.addresses(path)) {
            gone(ref(address, t.homeGroup));
        }
    }

    /** Reads the file unless it is unchanged and was read fine last time; reports what it found. */
    private void check(Path file, ActiveWatch w, boolean force) {
        if (cancelled) {
            throw new CancellationException();
        }
        String key = file.toString();
        Tracked t = tracked.get(key);
        if (t != null && !t.watchId.equals(w.id())) {
            // the file now belongs to another watch (its group may differ): start over
            t = null;
        }
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            attrs = null;
        }
        if (!force && t != null && !t.failing && attrs != null && t.same(attrs)) {
            return;
        }
        FileContent content = outsideRoots(file) ? new Failure(LocationFailure.UNREADABLE,
                file + ": leads outside the allowed roots") : reader.read(file, attrs, w.password());
        if (content instanceof Failure f && f.failure() == LocationFailure.MISSING && !w.path().namesOneFile()) {
            if (tracked.containsKey(key)) {
                removed(key);
            }
            return;
        }
        Tracked next = t == null ? new Tracked(w.id(), w.homeGroup()) : t;
        if (attrs != null) {
            next.size = attrs.size();
            next.modified = attrs.lastModifiedTime().toMillis();
            next.key = attrs.fileKey();
        }
        if (t == null) {
            Tracked old = tracked.put(key, next);
            if (old != null) {
                for (String address : old.addresses(key)) {
                    gone(ref(address, old.homeGroup));
                }
            }
        }
        if (content instanceof Certificates c) {
            report(key, next, c, w);
        } else {
            fail(key, next, (Failure) content);
        }
    }

    /** A root as files under it resolve: through its own links, when it exists. */
    private static Path real(Path root) {
        try {
            return root.toRealPath();
        } catch (IOException e) {
            return root;
        }
    }

    /** Whether the file resolves outside the roots: a link itself is resolved, a folder once per scan. */
    private boolean outsideRoots(Path file) {
        if (Files.isSymbolicLink(file) || file.getParent() == null) {
            return !resolvesInside(file);
        }
        return !foldersInside.computeIfAbsent(file.getParent(), this::resolvesInside);
    }

    private boolean resolvesInside(Path path) {
        try {
            Path real = path.toRealPath();
            return roots.stream().anyMatch(real::startsWith);
        } catch (IOException e) {
            return true; // missing or a loop: the reader says which
        }
    }

    private void report(String path, Tracked t, Certificates c, ActiveWatch w) {
        List<String> before = t.addresses(path);
        boolean keystore = c.entries().get(0).alias() != null;
        String[] aliases = keystore ? c.entries().stream().map(Entry::alias).toArray(String[]::new) : null;
        t.aliases = aliases;
        t.failing = false;
        List<String> now = t.addresses(path);
        for (String gone : before) {
            if (!now.contains(gone)) {
                gone(ref(gone, t.homeGroup));
            }
        }
        for (Entry e : c.entries()) {
            String address = e.alias() == null ? path : path + "#" + e.alias();
            add(Observation.read(ref(address, w.homeGroup()), clock.instant(), e.chain()), t);
        }
    }

    private void fail(String path, ActiveWatch w, Failure f) {
        Tracked t = tracked.computeIfAbsent(path, p -> new Tracked(w.id(), w.homeGroup()));
        fail(path, t, f);
    }

    /** Every location the file held fails (the path itself when none is known yet). */
    private void fail(String path, Tracked t, Failure f) {
        t.failing = true;
        for (String address : t.addresses(path)) {
            add(Observation.failed(ref(address, t.homeGroup), clock.instant(), f.failure(), f.reason()), t);
        }
    }

    private void add(Observation o, Tracked file) {
        batch.add(o);
        batchFiles.add(file);
        if (batch.size() >= BATCH) {
            flush();
        }
    }

    /** The reports waiting go first, so the registry hears about each location in the order it happened. */
    private void gone(LocationRef location) {
        flush();
        registry.gone(location);
    }

    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            registry.reportAll(List.copyOf(batch));
        } catch (RuntimeException e) {
            batchFiles.forEach(t -> t.modified = Long.MIN_VALUE);
            throw e;
        } finally {
            batch.clear();
            batchFiles.clear();
        }
    }

    private static LocationRef ref(String address, String homeGroup) {
        return new LocationRef(SOURCE, LocationKind.FILE, address, homeGroup);
    }
}
