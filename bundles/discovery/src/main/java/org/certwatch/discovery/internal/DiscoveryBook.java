package org.certwatch.discovery.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * What discovery keeps, in {@code discovery/discovery.json} or as the same bytes in a shared backend: the ranges, the
 * candidates found and, per range, the endpoints dismissed (so a later scan does not list them again). Every change is
 * written durably before it returns; range ids count up and are never reused. A change runs alone among the servers,
 * from the latest saved book.
 */
final class DiscoveryBook {
    /** A range as kept; durations and instants ISO-8601, {@code every} null: only when run. */
    record StoredRange(String id, String addresses, List<Integer> ports, String homeGroup, String every,
            boolean addFound, String description, String createdAt, String lastRun) {
    }

    /** A candidate as kept. */
    record StoredCandidate(String rangeId, String host, int port, String subject, String notAfter, String foundAt) {
        String key() {
            return DiscoveryBook.key(rangeId, host, port);
        }
    }

    /** {@code dismissed}: keys {@code rangeId host port}. */
    record Document(long lastId, List<StoredRange> ranges, List<StoredCandidate> candidates, List<String> dismissed) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final StoredDocument file;
    private final TreeMap<Long, StoredRange> ranges = new TreeMap<>();
    private final List<StoredCandidate> candidates = new ArrayList<>();
    private final TreeSet<String> dismissed = new TreeSet<>();
    private long lastId;

    private DiscoveryBook(StoredDocument file) {
        this.file = file;
    }

    static DiscoveryBook open(StoredDocument file) throws IOException {
        DiscoveryBook book = new DiscoveryBook(file);
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
            lastId = d.lastId();
            ranges.clear();
            d.ranges().forEach(r -> ranges.put(Long.parseLong(r.id()), r));
            candidates.clear();
            candidates.addAll(d.candidates());
            dismissed.clear();
            dismissed.addAll(d.dismissed());
        } catch (IOException e) {
            throw new UncheckedIOException(file.name() + ": " + e.getMessage(), e);
        }
    }

    /** Calls {@code changed} when another server may have changed the book. */
    Subscription watch(Runnable changed) {
        return file.watch(changed);
    }

    static String key(String rangeId, String host, int port) {
        return rangeId + " " + host + " " + port;
    }

    synchronized List<StoredRange> ranges() {
        return List.copyOf(ranges.values());
    }

    synchronized Optional<StoredRange> range(String id) {
        try {
            return Optional.ofNullable(ranges.get(Long.parseLong(id)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    synchronized List<StoredCandidate> candidates() {
        return List.copyOf(candidates);
    }

    synchronized boolean dismissed(String rangeId, String host, int port) {
        return dismissed.contains(key(rangeId, host, port));
    }

    /** Stores a new range under the next id; its {@code id} is ignored. */
    StoredRange add(StoredRange r) {
        return file.exclusively(() -> addAlone(r));
    }

    private synchronized StoredRange addAlone(StoredRange r) {
        refresh();
        long id = lastId + 1;
        StoredRange stored = new StoredRange(Long.toString(id), r.addresses(), r.ports(), r.homeGroup(), r.every(),
                r.addFound(), r.description(), r.createdAt(), r.lastRun());
        TreeMap<Long, StoredRange> next = new TreeMap<>(ranges);
        next.put(id, stored);
        write(id, next, candidates, dismissed);
        return stored;
    }

    void replace(StoredRange r) {
        file.exclusively(() -> {
            replaceAlone(r);
            return null;
        });
    }

    private synchronized void replaceAlone(StoredRange r) {
        refresh();
        TreeMap<Long, StoredRange> next = new TreeMap<>(ranges);
        next.put(Long.parseLong(r.id()), r);
        write(lastId, next, candidates, dismissed);
    }

    /** Removes the range with its candidates and what was dismissed in it. */
    boolean remove(String id) {
        return file.exclusively(() -> removeAlone(id));
    }

    private synchronized boolean removeAlone(String id) {
        refresh();
        if (range(id).isEmpty()) {
            return false;
        }
        TreeMap<Long, StoredRange> next = new TreeMap<>(ranges);
        next.remove(Long.parseLong(id));
        write(lastId, next, candidates.stream().filter(c -> !c.rangeId().equals(id)).toList(),
                dismissed.stream().filter(k -> !k.startsWith(id + " ")).toList());
        return true;
    }

    /** Adds the candidates not listed (or dismissed) yet; returns how many were new. */
    int addCandidates(List<StoredCandidate> found) {
        return file.exclusively(() -> addCandidatesAlone(found));
    }

    private synchronized int addCandidatesAlone(List<StoredCandidate> found) {
        refresh();
        List<StoredCandidate> next = new ArrayList<>(candidates);
        int added = 0;
        for (StoredCandidate c : found) {
            if (!dismissed.contains(c.key()) && next.stream().noneMatch(o -> o.key().equals(c.key()))) {
                next.add(c);
                added++;
            }
        }
        if (added > 0) {
            write(lastId, ranges, next, dismissed);
        }
        return added;
    }

    /** Removes a candidate, remembering it as dismissed in its range when {@code dismiss}. */
    void removeCandidate(StoredCandidate c, boolean dismiss) {
        file.exclusively(() -> {
            removeCandidateAlone(c, dismiss);
            return null;
        });
    }

    private synchronized void removeCandidateAlone(StoredCandidate c, boolean dismiss) {
        refresh();
        List<String> nextDismissed = new ArrayList<>(dismissed);
        if (dismiss) {
            nextDismissed.add(c.key());
        }
        write(lastId, ranges, candidates.stream().filter(o -> !o.key().equals(c.key())).toList(), nextDismissed);
    }

    /**
     * Moves the ranges of renamed groups (one durable write, alone among the servers); true when any moved. All
     * renames each time: applying them again moves nothing (the fleet refuses a group at a path they move).
     */
    boolean followRenames(List<GroupRename> renames) {
        return file.exclusively(() -> followAlone(renames));
    }

    private synchronized boolean followAlone(List<GroupRename> renames) {
        refresh();
        TreeMap<Long, StoredRange> next = new TreeMap<>(ranges);
        boolean moved = false;
        for (StoredRange r : ranges.values()) {
            String group = GroupRename.applyAll(renames, r.homeGroup());
            if (!group.equals(r.homeGroup())) {
                next.put(Long.parseLong(r.id()), new StoredRange(r.id(), r.addresses(), r.ports(), group, r.every(),
                        r.addFound(), r.description(), r.createdAt(), r.lastRun()));
                moved = true;
            }
        }
        if (moved) {
            write(lastId, next, candidates, dismissed);
        }
        return moved;
    }

    /** Durable first, then in memory: a failed write changes nothing. */
    private void write(long newLastId, java.util.Map<Long, StoredRange> nextRanges, List<StoredCandidate> nextCandidates,
            java.util.Collection<String> nextDismissed) {
        TreeMap<Long, StoredRange> r = new TreeMap<>(nextRanges);
        List<StoredCandidate> c = List.copyOf(nextCandidates);
        TreeSet<String> d = new TreeSet<>(nextDismissed);
        try {
            file.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    new Document(newLastId, new ArrayList<>(r.values()), c, new ArrayList<>(d))));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file.name() + ": " + e.getMessage(), e);
        }
        ranges.clear();
        ranges.putAll(r);
        candidates.clear();
        candidates.addAll(c);
        dismissed.clear();
        dismissed.addAll(d);
        lastId = newLastId;
    }
}
