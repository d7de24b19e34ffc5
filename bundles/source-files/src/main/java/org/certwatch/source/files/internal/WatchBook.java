package org.certwatch.source.files.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * The watched paths, kept in {@code files/watches.json} (0600; passwords only sealed) or as the same bytes in a
 * shared backend. Every change is written durably before it returns; ids count up and are never reused, not even
 * after a delete. A change runs alone among the servers, from the latest saved book.
 */
final class WatchBook {
    /** One watch as kept: the sealed password, null when it has none; {@code createdAt} ISO-8601. */
    record Stored(String id, String pattern, boolean recursive, String homeGroup, String sealedPassword,
            String description, String createdAt) {
    }

    record Document(long lastId, List<Stored> watches) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final StoredDocument file;
    private final TreeMap<Long, Stored> watches = new TreeMap<>();
    private long lastId;

    private WatchBook(StoredDocument file) {
        this.file = file;
    }

    static WatchBook open(StoredDocument file) throws IOException {
        WatchBook book = new WatchBook(file);
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
            watches.clear();
            lastId = d.lastId();
            for (Stored s : d.watches()) {
                watches.put(Long.parseLong(s.id()), s);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Calls {@code changed} when another server may have changed the book. */
    Subscription watch(Runnable changed) {
        return file.watch(changed);
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
    Stored add(Stored s) {
        return file.exclusively(() -> addAlone(s));
    }

    private synchronized Stored addAlone(Stored s) {
        refresh();
        long id = lastId + 1;
        Stored stored = new Stored(Long.toString(id), s.pattern(), s.recursive(), s.homeGroup(), s.sealedPassword(),
                s.description(), s.createdAt());
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        next.put(id, stored);
        write(id, next);
        return stored;
    }

    void replace(Stored s) {
        file.exclusively(() -> {
            replaceAlone(s);
            return null;
        });
    }

    private synchronized void replaceAlone(Stored s) {
        refresh();
        long id = Long.parseLong(s.id());
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        next.put(id, s);
        write(lastId, next);
    }

    boolean remove(String id) {
        return file.exclusively(() -> removeAlone(id));
    }

    private synchronized boolean removeAlone(String id) {
        refresh();
        Optional<Stored> old = get(id);
        if (old.isEmpty()) {
            return false;
        }
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        next.remove(Long.parseLong(id));
        write(lastId, next);
        return true;
    }

    /**
     * Moves the watches of renamed groups (one durable write, alone among the servers); true when any moved. All
     * renames each time: applying them again moves nothing (the fleet refuses a group at a path they move).
     */
    boolean followRenames(List<GroupRename> renames) {
        return file.exclusively(() -> followAlone(renames));
    }

    private synchronized boolean followAlone(List<GroupRename> renames) {
        refresh();
        TreeMap<Long, Stored> next = new TreeMap<>(watches);
        boolean moved = false;
        for (Stored s : watches.values()) {
            String group = GroupRename.applyAll(renames, s.homeGroup());
            if (!group.equals(s.homeGroup())) {
                next.put(Long.parseLong(s.id()), new Stored(s.id(), s.pattern(), s.recursive(), group, s.sealedPassword(),
                        s.description(), s.createdAt()));
                moved = true;
            }
        }
        if (moved) {
            write(lastId, next);
        }
        return moved;
    }

    /** Durable first, then in memory: a failed write changes nothing. */
    private void write(long newLastId, TreeMap<Long, Stored> next) {
        try {
            byte[] bytes = JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new Document(newLastId, new ArrayList<>(next.values())));
            file.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.name() + ": " + e.getMessage(), e);
        }
        watches.clear();
        watches.putAll(next);
        lastId = newLastId;
    }
}
