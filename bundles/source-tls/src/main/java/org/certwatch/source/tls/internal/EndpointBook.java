package org.certwatch.source.tls.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * The endpoints, kept in {@code tls/endpoints.json} (0600) or as the same bytes in a shared backend. Every change is
 * written durably before it returns; ids count up and are never reused, not even after a delete. A change runs alone
 * among the servers, from the latest saved book.
 */
final class EndpointBook {
    /** One endpoint as kept; {@code interval} empty for the default, instants ISO-8601. */
    record Stored(String id, String host, int port, String sniName, String protocol, String homeGroup,
            String interval, String extraCaPem, boolean checkCrl, String description, String createdAt) {

        static Stored of(String id, Endpoint e) {
            return new Stored(id, e.host(), e.port(), e.sniName(), e.protocol().name(), e.homeGroup(),
                    e.interval() == null ? "" : e.interval().toString(), e.extraCaPem(), e.checkCrl(),
                    e.description(), e.createdAt().toString());
        }

        Endpoint endpoint() {
            return new Endpoint(id, host, port, sniName, EndpointProtocol.valueOf(protocol), homeGroup,
                    interval == null || interval.isEmpty() ? null : Duration.parse(interval), extraCaPem, checkCrl,
                    description, Instant.parse(createdAt));
        }
    }

    record Document(long lastId, List<Stored> endpoints) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final StoredDocument file;
    private final TreeMap<Long, Endpoint> endpoints = new TreeMap<>();
    private long lastId;

    private EndpointBook(StoredDocument file) {
        this.file = file;
    }

    static EndpointBook open(StoredDocument file) throws IOException {
        EndpointBook book = new EndpointBook(file);
        Optional<byte[]> saved = file.read();
        if (saved.isPresent()) {
            book.take(saved.get());
        }
        return book;
    }

    /** Takes what another server saved; true if anything changed. */
    synchronized boolean refresh() {
        Optional<byte[]> saved = file.changed();
        saved.ifPresent(this::take);
        return saved.isPresent();
    }

    private void take(byte[] saved) {
        try {
            Document d = JSON.readValue(saved, Document.class);
            endpoints.clear();
            lastId = d.lastId();
            for (Stored s : d.endpoints()) {
                endpoints.put(Long.parseLong(s.id()), s.endpoint());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} (a check and a change) alone among the servers, from the latest saved book. */
    <T> T exclusively(Supplier<T> work) {
        return file.exclusively(() -> {
            refresh();
            return work.get();
        });
    }

    /** Calls {@code changed} when another server may have changed the book. */
    Subscription watch(Runnable changed) {
        return file.watch(changed);
    }

    synchronized List<Endpoint> all() {
        return List.copyOf(endpoints.values());
    }

    synchronized Optional<Endpoint> get(String id) {
        try {
            return Optional.ofNullable(endpoints.get(Long.parseLong(id)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stores a new endpoint under the next id; its {@code id} is ignored. */
    Endpoint add(Endpoint e) {
        return file.exclusively(() -> addAlone(e));
    }

    private synchronized Endpoint addAlone(Endpoint e) {
        refresh();
        long id = lastId + 1;
        Endpoint stored = Stored.of(Long.toString(id), e).endpoint();
        TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
        next.put(id, stored);
        write(id, next);
        return stored;
    }

    void replace(Endpoint e) {
        file.exclusively(() -> {
            replaceAlone(e);
            return null;
        });
    }

    private synchronized void replaceAlone(Endpoint e) {
        refresh();
        TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
        next.put(Long.parseLong(e.id()), e);
        write(lastId, next);
    }

    Optional<Endpoint> remove(String id) {
        return file.exclusively(() -> removeAlone(id));
    }

    private synchronized Optional<Endpoint> removeAlone(String id) {
        refresh();
        Optional<Endpoint> old = get(id);
        old.ifPresent(e -> {
            TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
            next.remove(Long.parseLong(id));
            write(lastId, next);
        });
        return old;
    }

    /**
     * Moves the endpoints of renamed groups (one durable write, alone among the servers); true when any moved. All
     * renames each time: applying them again moves nothing (the fleet refuses a group at a path they move).
     */
    boolean followRenames(List<GroupRename> renames) {
        return file.exclusively(() -> followAlone(renames));
    }

    private synchronized boolean followAlone(List<GroupRename> renames) {
        refresh();
        TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
        boolean moved = false;
        for (Map.Entry<Long, Endpoint> e : endpoints.entrySet()) {
            String group = GroupRename.applyAll(renames, e.getValue().homeGroup());
            if (!group.equals(e.getValue().homeGroup())) {
                Stored s = Stored.of(e.getValue().id(), e.getValue());
                next.put(e.getKey(), new Stored(s.id(), s.host(), s.port(), s.sniName(), s.protocol(), group, s.interval(),
                        s.extraCaPem(), s.checkCrl(), s.description(), s.createdAt()).endpoint());
                moved = true;
            }
        }
        if (moved) {
            write(lastId, next);
        }
        return moved;
    }

    /** Durable first, then in memory: a failed write changes nothing. */
    private void write(long newLastId, TreeMap<Long, Endpoint> next) {
        try {
            List<Stored> rows = new ArrayList<>(next.size());
            next.forEach((id, e) -> rows.add(Stored.of(Long.toString(id), e)));
            file.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Document(newLastId, rows)));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.name() + ": " + e.getMessage(), e);
        }
        endpoints.clear();
        endpoints.putAll(next);
        lastId = newLastId;
    }
}
