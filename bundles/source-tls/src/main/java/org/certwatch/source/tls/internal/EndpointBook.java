package org.certwatch.source.tls.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.commons.files.DurableFiles;

/**
 * The endpoints, kept in {@code tls/endpoints.json} (0600). Every change is written durably before it returns; ids
 * count up and are never reused, not even after a delete.
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

    private final Path file;
    private final TreeMap<Long, Endpoint> endpoints = new TreeMap<>();
    private long lastId;

    private EndpointBook(Path file) {
        this.file = file;
    }

    static EndpointBook open(Path file) throws IOException {
        EndpointBook book = new EndpointBook(file);
        if (Files.exists(file)) {
            Document d = JSON.readValue(file.toFile(), Document.class);
            book.lastId = d.lastId();
            for (Stored s : d.endpoints()) {
                book.endpoints.put(Long.parseLong(s.id()), s.endpoint());
            }
        }
        return book;
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
    synchronized Endpoint add(Endpoint e) {
        long id = lastId + 1;
        Endpoint stored = Stored.of(Long.toString(id), e).endpoint();
        TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
        next.put(id, stored);
        write(id, next);
        return stored;
    }

    synchronized void replace(Endpoint e) {
        TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
        next.put(Long.parseLong(e.id()), e);
        write(lastId, next);
    }

    synchronized Optional<Endpoint> remove(String id) {
        Optional<Endpoint> old = get(id);
        old.ifPresent(e -> {
            TreeMap<Long, Endpoint> next = new TreeMap<>(endpoints);
            next.remove(Long.parseLong(id));
            write(lastId, next);
        });
        return old;
    }

    /** Durable first, then in memory: a failed write changes nothing. */
    private void write(long newLastId, TreeMap<Long, Endpoint> next) {
        try {
            List<Stored> rows = new ArrayList<>(next.size());
            next.forEach((id, e) -> rows.add(Stored.of(Long.toString(id), e)));
            DurableFiles.write(file, JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Document(newLastId, rows)), true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
        endpoints.clear();
        endpoints.putAll(next);
        lastId = newLastId;
    }
}
