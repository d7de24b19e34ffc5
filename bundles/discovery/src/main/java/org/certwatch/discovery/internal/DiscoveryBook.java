package org.certwatch.discovery.internal;

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
import java.util.TreeSet;
import org.certwatch.commons.files.DurableFiles;

/**
 * What discovery keeps, in {@code discovery/discovery.json}: the ranges, the candidates found and, per range, the
 * endpoints dismissed (so a later scan does not list them again). Every change is written durably before it returns;
 * range ids count up and are never reused.
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

    private final Path file;
    private final TreeMap<Long, StoredRange> ranges = new TreeMap<>();
    private final List<StoredCandidate> candidates = new ArrayList<>();
    private final TreeSet<String> dismissed = new TreeSet<>();
    private long lastId;

    private DiscoveryBook(Path file) {
        this.file = file;
    }

    static DiscoveryBook open(Path file) throws IOException {
        DiscoveryBook book = new DiscoveryBook(file);
        if (Files.exists(file)) {
            Document d = JSON.readValue(file.toFile(), Document.class);
            book.lastId = d.lastId();
            d.ranges().forEach(r -> book.ranges.put(Long.parseLong(r.id()), r));
            book.candidates.addAll(d.candidates());
            book.dismissed.addAll(d.dismissed());
        }
        return book;
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
    synchronized StoredRange add(StoredRange r) {
        long id = lastId + 1;
        StoredRange stored = new StoredRange(Long.toString(id), r.addresses(), r.ports(), r.homeGroup(), r.every(),
                r.addFound(), r.description(), r.createdAt(), r.lastRun());
        TreeMap<Long, StoredRange> next = new TreeMap<>(ranges);
        next.put(id, stored);
        write(id, next, candidates, dismissed);
        return stored;
    }

    synchronized void replace(StoredRange r) {
        TreeMap<Long, StoredRange> next = new TreeMap<>(ranges);
        next.put(Long.parseLong(r.id()), r);
        write(lastId, next, candidates, dismissed);
    }

    /** Removes the range with its candidates and what was dismissed in it. */
    synchronized boolean remove(String id) {
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
    synchronized int addCandidates(List<StoredCandidate> found) {
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
    synchronized void removeCandidate(StoredCandidate c, boolean dismiss) {
        List<String> nextDismissed = new ArrayList<>(dismissed);
        if (dismiss) {
            nextDismissed.add(c.key());
        }
        write(lastId, ranges, candidates.stream().filter(o -> !o.key().equals(c.key())).toList(), nextDismissed);
    }

    /** Durable first, then in memory: a failed write changes nothing. */
    private void write(long newLastId, java.util.Map<Long, StoredRange> nextRanges, List<StoredCandidate> nextCandidates,
            java.util.Collection<String> nextDismissed) {
        TreeMap<Long, StoredRange> r = new TreeMap<>(nextRanges);
        List<StoredCandidate> c = List.copyOf(nextCandidates);
        TreeSet<String> d = new TreeSet<>(nextDismissed);
        try {
            DurableFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                    new Document(newLastId, new ArrayList<>(r.values()), c, new ArrayList<>(d))), false);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file + ": " + e.getMessage(), e);
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
