package org.certwatch.fleet.internal.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.Subscription;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The fleet in a shared backend, the same bytes its files hold: documents {@code fleet} (key
 * {@code directory}: {@code directory.json}; {@code rollovers}: {@code rollovers.json}; {@code computer-ids}:
 * the ids reserved so far) and {@code fleet.computers} (one document per computer, key its id, value its
 * line of {@code computers.log}). Nothing is compacted: a computer's document is replaced in place.
 *
 * <p>The directory and the rollovers are written only over the version this server last read or wrote
 * ({@link Documents#putIfVersion}): a write that would overwrite another server's change is refused
 * (callers catch up first, under {@link #exclusively}). Present while the backend's {@link Persistence}
 * is; the fleet's services come and go with it.
 */
@Component(service = FleetStorage.class)
public final class SharedFleetStorage implements FleetStorage {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final String DOCUMENTS = "fleet";
    static final String COMPUTERS = "fleet.computers";
    static final String DIRECTORY = "directory";
    static final String ROLLOVERS = "rollovers";
    static final String COMPUTER_IDS = "computer-ids";
    /** The name of the lock across servers that the fleet's changes take. */
    static final String LOCK = "fleet";

    private final Persistence persistence;
    /** Per whole-state document (directory, rollovers): the version this server last read or wrote. */
    private final Map<String, Long> versions = new HashMap<>(); // guarded by this

    @Activate
    public SharedFleetStorage(@Reference(name = "persistence", target = "(certwatch.backend=postgresql)")
            Persistence persistence) {
        this.persistence = persistence;
    }

    private Documents documents() {
        return persistence.documents(DOCUMENTS);
    }

    private Documents computers() {
        return persistence.documents(COMPUTERS);
    }

    @Override
    public Optional<DirectoryRecord> readDirectory() throws IOException {
        Optional<byte[]> stored = read(DIRECTORY, false);
        return stored.isEmpty() ? Optional.empty() : Optional.of(DirectoryJson.decode(stored.get(), where(DIRECTORY)));
    }

    @Override
    public Optional<DirectoryRecord> directoryIfChanged() throws IOException {
        Optional<byte[]> stored = read(DIRECTORY, true);
        return stored.isEmpty() ? Optional.empty() : Optional.of(DirectoryJson.decode(stored.get(), where(DIRECTORY)));
    }

    @Override
    public void writeDirectory(DirectoryRecord directory) throws IOException {
        write(DIRECTORY, DirectoryJson.encode(directory));
    }

    @Override
    public Optional<ComputersRecord> readComputers() throws IOException {
        List<ComputerRow> rows = scanComputers();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ComputersRecord(rows.get(rows.size() - 1).id() + 1, rows));
    }

    @Override
    public Optional<List<ComputerRow>> sharedComputers() throws IOException {
        return Optional.of(scanComputers());
    }

    /** In id order. */
    private List<ComputerRow> scanComputers() throws IOException {
        Map<Long, ComputerRow> rows = new TreeMap<>();
        try {
            computers().scan(d -> rows.put(Long.parseLong(d.key()), ComputerRowJson.decode(d.value())));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(COMPUTERS + ": " + e.getMessage(), e);
        }
        return new ArrayList<>(rows.values());
    }

    /** One transaction for the whole batch (the group commit of concurrent replications). */
    @Override
    public void computersChanged(List<ComputerRow> rows) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, byte[]> values = new LinkedHashMap<>();
        for (ComputerRow r : rows) {
            values.put(Long.toString(r.id()), ComputerRowJson.encode(r)); // a later row of an id replaces an earlier
        }
        computers().putAll(values);
    }

    @Override
    public RolloversRecord readRollovers() throws IOException {
        Optional<byte[]> stored = read(ROLLOVERS, false);
        return stored.isEmpty() ? new RolloversRecord(1, new TreeMap<>()) : RolloversJson.decode(stored.get(), where(ROLLOVERS));
    }

    @Override
    public Optional<RolloversRecord> rolloversIfChanged() throws IOException {
        Optional<byte[]> stored = read(ROLLOVERS, true);
        return stored.isEmpty() ? Optional.empty() : Optional.of(RolloversJson.decode(stored.get(), where(ROLLOVERS)));
    }

    @Override
    public void writeRollovers(long nextId, Collection<RolloverRecord> rollovers) throws IOException {
        write(ROLLOVERS, RolloversJson.encode(nextId, rollovers));
    }

    @Override
    public String rolloversLocation() {
        return where(ROLLOVERS);
    }

    @Override
    public <T> T exclusively(Callable<T> work) throws Exception {
        return persistence.exclusively(LOCK, work);
    }

    /** A compare-and-set on its own document: no lock, so a replication that adds a computer never waits for one. */
    @Override
    public OptionalLong reserveComputerIds(long from, long count) throws IOException {
        Documents documents = documents();
        while (true) {
            Optional<Document> stored = documents.get(COMPUTER_IDS);
            long reserved = stored.isEmpty() ? 1 : Long.parseLong(new String(stored.get().value(), StandardCharsets.US_ASCII));
            long first = Math.max(reserved, from);
            byte[] next = Long.toString(first + count).getBytes(StandardCharsets.US_ASCII);
            if (documents.putIfVersion(COMPUTER_IDS, stored.map(Document::version).orElse(0L), next).isPresent()) {
                return OptionalLong.of(first);
            }
        }
    }

    @Override
    public Subscription watchDirectory(Runnable changed) {
        return watchKey(DIRECTORY, changed);
    }

    @Override
    public Subscription watchRollovers(Runnable changed) {
        return watchKey(ROLLOVERS, changed);
    }

    private Subscription watchKey(String key, Runnable changed) {
        return documents().watch(keys -> {
            if (keys.contains(key)) {
                changed.run();
            }
        });
    }

    @Override
    public Subscription watchComputers(Consumer<List<ComputerRow>> changed) {
        Documents computers = computers();
        return computers.watch(keys -> {
            List<ComputerRow> rows = new ArrayList<>(keys.size());
            try {
                for (String key : keys) {
                    Optional<Document> stored = computers.get(key);
                    if (stored.isPresent()) {
                        rows.add(ComputerRowJson.decode(stored.get().value()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // what this call could not read is read at the computer's next change, or by the next start
                LOG.log(Level.WARNING, "cannot read the computers another server changed: " + e.getMessage(), e);
            }
            changed.accept(rows);
        });
    }

    /**
     * A whole-state document's value, remembering its version; with {@code onlyIfChanged}, empty when the
     * version is still the one this server last read or wrote.
     */
    private synchronized Optional<byte[]> read(String key, boolean onlyIfChanged) {
        Optional<Document> stored = documents().get(key);
        long version = stored.map(Document::version).orElse(0L);
        if (onlyIfChanged && version == versions.getOrDefault(key, 0L)) {
            return Optional.empty();
        }
        versions.put(key, version);
        return stored.map(Document::value);
    }

    /** Writes a whole-state document over the version this server last read or wrote, or refuses. */
    private synchronized void write(String key, byte[] value) throws IOException {
        long version = documents().putIfVersion(key, versions.getOrDefault(key, 0L), value).orElseThrow(
                () -> new IOException(where(key) + " was changed by another server meanwhile; nothing was written, try again"));
        versions.put(key, version);
    }

    private String where(String key) {
        return persistence.backend() + " document " + DOCUMENTS + "/" + key;
    }
}
