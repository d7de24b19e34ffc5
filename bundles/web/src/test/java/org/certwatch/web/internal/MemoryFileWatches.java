package org.certwatch.web.internal;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.FileWatches;

/** The files source's watched paths in memory, with one allowed root; passwords kept to check they arrive. */
final class MemoryFileWatches implements FileWatches {
    static final String ROOT = "/srv/certs";
    final Map<String, FileWatch> watches = new ConcurrentSkipListMap<>();
    final Map<String, String> passwords = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final Clock clock;

    MemoryFileWatches(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<FileWatch> watches() {
        return List.copyOf(watches.values());
    }

    @Override
    public Optional<FileWatch> watch(String id) {
        return Optional.ofNullable(watches.get(id));
    }

    @Override
    public FileWatch create(FileWatch w, char[] password, String actor) {
        return put(Long.toString(ids.incrementAndGet()), w, password, false, clock.instant());
    }

    @Override
    public FileWatch update(FileWatch w, char[] password, String actor) {
        FileWatch old = watches.get(w.id());
        return put(w.id(), w, password, old.hasPassword(), old.createdAt());
    }

    private FileWatch put(String id, FileWatch w, char[] password, boolean had, java.time.Instant created) {
        if (!w.pattern().startsWith(ROOT + "/")) {
            throw new IllegalArgumentException(w.pattern() + " lies outside the allowed roots [" + ROOT + "]");
        }
        if (password != null) {
            if (password.length == 0) {
                passwords.remove(id);
            } else {
                passwords.put(id, new String(password));
            }
        }
        FileWatch stored = new FileWatch(id, w.pattern(), w.recursive(), w.homeGroup(),
                password == null ? had : password.length > 0, w.description(), created);
        watches.put(id, stored);
        return stored;
    }

    @Override
    public void delete(String id, String actor) {
        watches.remove(id);
        passwords.remove(id);
    }

    @Override
    public List<String> allowedRoots() {
        return List.of(ROOT);
    }
}
