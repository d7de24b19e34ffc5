package org.certwatch.store.internal.core;

import org.certwatch.testing.SettableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.audit.internal.FileAuditLog;
import org.certwatch.testing.MemoryPersistence;

/**
 * Opens stores for tests: a data folder with the real audit log, a test clock, recorded events; the store in files
 * (the default) or on a shared backend (a {@link MemoryPersistence} this owns; each open is a server (re)starting).
 */
public final class Stores implements AutoCloseable {
    /** Where {@link #open} keeps the store: the contract tests pass on both. */
    public enum Backend {
        FILE, SHARED
    }

    public static final String PASSWORD = "correct horse battery staple";
    public final Path data;
    public final SettableClock clock;
    public final FileAuditLog audit;
    public final List<String> events = new CopyOnWriteArrayList<>();
    public final List<CaDeletionGuard> guards = new CopyOnWriteArrayList<>();
    private final BouncyCastleProvider provider = new BouncyCastleProvider();
    private final List<PkiStore> opened = new ArrayList<>();
    private final MemoryPersistence shared;
    private int servers;

    public Stores(Path data, SettableClock clock) throws IOException {
        this(data, clock, Backend.FILE);
    }

    public Stores(Path data, SettableClock clock, Backend backend) throws IOException {
        this.data = data;
        this.clock = clock;
        this.audit = new FileAuditLog(data.resolve("audit/audit.log"));
        this.shared = backend == Backend.SHARED ? new MemoryPersistence() : null;
    }

    /** True when the store is kept in {@link #folder()}. */
    public boolean inFiles() {
        return shared == null;
    }

    public Path folder() {
        return data.resolve("store");
    }

    public PkiStore open() throws IOException {
        return open(PASSWORD);
    }

    public PkiStore open(String password) throws IOException {
        if (shared != null) {
            return openShared(shared.server("server-" + ++servers), password);
        }
        PkiStore store = PkiStore.open(folder(), password.toCharArray(), clock, audit,
                (topic, properties) -> events.add(topic), () -> List.copyOf(guards), StoreSettings.defaults(),
                provider);
        opened.add(store);
        return store;
    }

    /** A server of several sharing {@code backend}, with this test's clock, audit log and event list. */
    public PkiStore openShared(Persistence backend, String password) throws IOException {
        return openShared(backend, password, (topic, properties) -> events.add(topic));
    }

    public PkiStore openShared(Persistence backend, String password, StoreEvents serverEvents) throws IOException {
        return openShared(backend, password::toCharArray, serverEvents);
    }

    /** With a password the test may change, as an admin changes the key-password file. */
    public PkiStore openShared(Persistence backend, KeyPassword password, StoreEvents serverEvents)
            throws IOException {
        PkiStore store = PkiStore.openShared(backend, password, clock, audit, serverEvents,
                () -> List.copyOf(guards), StoreSettings.defaults(), provider);
        opened.add(store);
        return store;
    }

    /**
     * Every file under the store folder with its size: "unchanged" means this map is equal. The certificate and key
     * files follow the journal on a worker, so it first waits for them to settle.
     */
    public Map<String, Long> snapshot() throws IOException {
        for (PkiStore s : opened) {
            s.awaitFiles();
        }
        Map<String, Long> files = new java.util.TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder())) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder().relativize(p).toString(), Files.size(p));
            }
        }
        return Collections.unmodifiableMap(files);
    }

    @Override
    public void close() throws Exception {
        for (PkiStore s : opened) {
            s.close();
        }
        audit.close();
        if (shared != null) {
            shared.close();
        }
    }
}
