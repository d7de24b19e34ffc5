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
 */
@Component(service = LocationStorage.class)
public final class SharedLocationStorage implements LocationStorage {
    static final String DOCUMENTS = "locations";
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");

    private final Persistence persistence;

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
        documents().putAll(rows);
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
