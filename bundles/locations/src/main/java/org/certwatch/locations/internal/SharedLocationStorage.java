package org.certwatch.locations.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.Backends;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The locations in the PostgreSQL backend: one document per location in {@value #DOCUMENTS}, keyed by its id (zero
 * padded, so a scan reads them in id order), holding the line {@link FileLocationStorage} writes for it (the same
 * JSON), so moving between the backends is a copy. Present only while the backend's {@code Persistence} is.
 *
 * <p>A location's id is the next after the highest this server knows, so a server whose view lags (a new leader
 * right after a failover, before it heard the old one's last saves) could hand out an id another server gave
 * already: a save of an id above the highest one read or written here checks, under a cross-server lock, that no
 * other location holds it, and is refused (nothing overwritten) if one does — the watch brings that location in
 * and the next report takes the next free id.
 */
@Component(service = LocationStorage.class)
public final class SharedLocationStorage implements LocationStorage {
    static final String DOCUMENTS = "locations";
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");

    private final Persistence persistence;
    /** The highest id read or written here; ids above it in a save are new. */
    private long known;

    @Activate
    public SharedLocationStorage(@Reference(target = Backends.POSTGRESQL) Persistence persistence) {
        this.persistence = persistence;
    }

    static String key(long id) {
        return String.format("%019d", id);
    }

    @Override
    public List<StoredLocation> load() throws IOException {
        List<StoredLocation> all = new ArrayList<>();
        try {
            documents().scan(d -> read(d).ifPresent(all::add));
            all.forEach(this::seen);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(name() + ": " + e.getMessage(), e);
        }
        return all;
    }

    @Override
    public void save(Collection<StoredLocation> locations) throws IOException {
        Map<String, byte[]> rows = new HashMap<>();
        for (StoredLocation l : locations) {
            ByteArrayOutputStream line = new ByteArrayOutputStream(256);
            LocationLine.write(l, line);
            rows.put(key(l.id()), line.toByteArray());
        }
        List<StoredLocation> fresh = locations.stream().filter(l -> l.id() > known()).toList();
        if (fresh.isEmpty()) {
            documents().putAll(rows);
        } else {
            try {
                persistence.exclusively(DOCUMENTS + ".ids", () -> {
                    for (StoredLocation l : fresh) {
                        Optional<StoredLocation> there = documents().get(key(l.id())).flatMap(this::read);
                        if (there.isPresent() && !there.get().location().ref().equals(l.location().ref())) {
                            seen(there.get());
                            throw new IOException(name() + ": location id " + l.id() + " is "
                                    + there.get().location().ref().address() + " already (given by another server);"
                                    + " " + l.location().ref().address() + " is saved with a new id next time");
                        }
                    }
                    documents().putAll(rows);
                    return null;
                });
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(name() + ": " + e.getMessage(), e);
            }
        }
        locations.forEach(this::seen);
    }

    private synchronized long known() {
        return known;
    }

    private synchronized void seen(StoredLocation l) {
        known = Math.max(known, l.id());
    }

    @Override
    public String name() {
        return persistence.backend() + " documents " + DOCUMENTS;
    }

    @Override
    public Subscription watch(Consumer<List<StoredLocation>> changed) {
        return documents().watch(keys -> changed.accept(current(keys)));
    }

    private List<StoredLocation> current(Set<String> keys) {
        List<StoredLocation> now = new ArrayList<>(keys.size());
        for (String key : keys) {
            documents().get(key).flatMap(this::read).ifPresent(now::add);
        }
        now.forEach(this::seen);
        return now;
    }

    private Optional<StoredLocation> read(Document d) {
        try {
            return Optional.of(LocationLine.read(new String(d.value(), StandardCharsets.UTF_8).strip()));
        } catch (IOException | RuntimeException e) {
            LOG.warning(name() + " " + d.key() + " unreadable, ignored: " + e);
            return Optional.empty();
        }
    }

    private Documents documents() {
        return persistence.documents(DOCUMENTS);
    }
}
