package org.certwatch.source.files.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.commons.files.DurableFiles;

/**
 * The watched paths, kept in {@code files/watches.json} (0600; passwords only sealed). Every change is written
 * durably before it returns; ids count up and are never reused, not even after a delete.
 */
final class WatchBook {
    /** One watch as kept: the sealed password, null when it has none; {@code createdAt} ISO-8601. */
    record Stored(String id, String pattern, boolean recursive, String homeGroup, String sealedPassword,
            String description, String createdAt) {
    }

    record Document(long lastId, List<Stored> watches) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final TreeMap<Long, Stored> watches = new TreeMap<>();
    private long lastId;

    private WatchBook(Path file) {
        this.file = file;
    }

    static WatchBook open(Path file) throws IOException {
        WatchBook book = new WatchBook(file);
        if (Files.exists(file)) {
            Document d = JSON.readValue(file.toFile(), Document.class);
            book.lastId = d.lastId();
            for (Stored s : d.watches()) {
                book.watches.put(Long.parseLong(s.id()), s);
            }
        }
        return book;
    }

    synchronized List<Stored> all() {
        return List.copyOf(watches.values());
    }

    synchronized Optional<Stored> get(String id) {
        try {
            return Optional.ofNullable(watches.get(Long.parseLong(id)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Stores a new watch under the next id; its {@code id} is ignored. */
    synchronized Stored add(Stored s) {
        long id = lastId + 1;
        Stored stored = new Stored(Long.toString(id), s.pattern(), s.recursive(), s.homeGroup(), s.sealedPassword(),
                s.description(), s.createdAt());
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        next.put(id, stored);
        write(id, next);
        return stored;
    }

    synchronized void replace(Stored s) {
        long id = Long.parseLong(s.id());
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        next.put(id, s);
        write(lastId, next);
    }

    synchronized boolean remove(String id) {
        Optional<Stored> old = get(id);
        if (old.isEmpty()) {
            return false;
        }
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        next.remove(Long.parseLong(id));
        write(lastId, next);
        return true;
    }

    /** Durable first, then in memory: a failed write changes nothing. */
    private void write(long newLastId, TreeMap<Long, Stored> next) {
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Document(newLastId, new ArrayList<>(next.values())));
            DurableFiles.write(file, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
        }
        watches.clear();
        watches.putAll(next);
        lastId = newLastId;
    }
}
