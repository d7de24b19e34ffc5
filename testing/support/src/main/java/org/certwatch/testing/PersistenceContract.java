package org.certwatch.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.persistence.Document;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;
import org.junit.jupiter.api.Test;

/**
 * What every shared backend promises through {@code org.certwatch.api.persistence}: the tests of
 * {@link MemoryPersistence} and of the PostgreSQL backend extend this class, so both pass the same tests. Two
 * servers are two {@link Persistence} instances sharing one backend. Each test uses names of its own, so a backend
 * may be shared by the tests of one class.
 */
public abstract class PersistenceContract {
    /** How soon a change must reach the other server (issue 21: within a second). */
    protected static final Duration PROPAGATION = Duration.ofSeconds(1);

    private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + ".";

    /** The server with this id (the same instance for the same id within a test). */
    protected abstract Persistence server(String id) throws Exception;

    /** Makes the backend unreachable for every server, as a stopped database is. */
    protected abstract void cutOff() throws Exception;

    /** Brings it back after {@link #cutOff()}, with everything it held. */
    protected abstract void restore() throws Exception;

    /** The server's lease, or empty when this backend's leadership is handed over by hand (the memory one). */
    protected Optional<Leadership> leadership(String id) throws Exception {
        return Optional.empty();
    }

    /** Makes the server stop renewing its lease without handing it back, as a crashed server would. */
    protected void stopRenewing(String id) throws Exception {
        throw new UnsupportedOperationException();
    }

    /** The lease length and renewal interval the backend runs with in this test. */
    protected Duration leaseAndRenewal() {
        return Duration.ZERO;
    }

    private String name(String what) {
        return prefix + what;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static List<String> readAll(Journal journal, long after) throws Exception {
        List<String> read = new ArrayList<>();
        journal.read(after, (position, record) -> read.add(position + "=" + text(record)));
        return read;
    }

    @Test
    void appendsTakeIncreasingPositionsAndReadStreamsThemInOrder() throws Exception {
        Journal journal = server("a").journal(name("entries"));
        assertEquals(0, journal.head());
        assertEquals(2, journal.append(List.of(bytes("one"), bytes("two"))));
        assertEquals(3, journal.append(List.of(bytes("three"))));
        assertEquals(3, journal.head());
        assertEquals(List.of("1=one", "2=two", "3=three"), readAll(journal, 0));
        assertEquals(List.of("3=three"), readAll(journal, 2));
        assertEquals(3, journal.read(3, (position, record) -> {
            throw new AssertionError("nothing after the head");
        }));
        assertEquals(List.of("1=one", "2=two", "3=three"), readAll(server("b").journal(name("entries")), 0),
                "the other server reads the same journal");
        assertEquals(0, server("a").journal(name("other")).head(), "journals are apart by name");
    }

    @Test
    void appendAfterRefusesWhenAnotherServerAppendedFirst() throws Exception {
        Journal mine = server("a").journal(name("entries"));
        Journal theirs = server("b").journal(name("entries"));
        assertEquals(1, mine.appendAfter(0, List.of(bytes("first"))));
        assertEquals(2, theirs.append(List.of(bytes("theirs"))));
        Journal.ConflictException conflict = assertThrows(Journal.ConflictException.class,
                () -> mine.appendAfter(1, List.of(bytes("stale"))));
        assertEquals(2, conflict.head());
        assertEquals(List.of("1=first", "2=theirs"), readAll(mine, 0), "nothing of the refused append");
        assertEquals(3, mine.appendAfter(2, List.of(bytes("caught up"))));
    }

    @Test
    void truncateRemovesUpToAPositionAndPositionsAreNeverReused() throws Exception {
        Journal journal = server("a").journal(name("entries"));
        journal.append(List.of(bytes("1"), bytes("2"), bytes("3")));
        journal.truncate(2);
        assertEquals(List.of("3=3"), readAll(journal, 0));
        assertEquals(3, journal.head());
        journal.truncate(3);
        assertEquals(List.of(), readAll(journal, 0));
        assertEquals(3, journal.head(), "the head stays when every record is gone");
        assertEquals(4, journal.append(List.of(bytes("4"))));
    }

    @Test
    void followDeliversEveryServersAppendsInOrderEachOnceWithinASecond() throws Exception {
        Journal a = server("a").journal(name("entries"));
        Journal b = server("b").journal(name("entries"));
        a.append(List.of(bytes("before")));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        try (Subscription follow = b.follow(1, (position, record) -> {
            arrived.put(position, System.nanoTime());
            seen.add(position + "=" + text(record));
        })) {
            long sent = System.nanoTime();
            a.append(List.of(bytes("from a")));
            CertwatchServer.await("b follows a's append", Duration.ofSeconds(30), () -> seen.size() == 1);
            long latency = arrived.get(2L) - sent;
            b.append(List.of(bytes("from b")));
            a.append(List.of(bytes("again a"), bytes("and more")));
            CertwatchServer.await("every append followed", Duration.ofSeconds(30), () -> seen.size() == 4);
            System.out.printf("%s: a's append reached b's follower in %.1f ms%n", getClass().getSimpleName(),
                    latency / 1e6);
            assertTrue(latency < PROPAGATION.toNanos(), "a's append reached b in " + latency / 1_000_000 + " ms");
        }
        int delivered = seen.size();
        a.append(List.of(bytes("after close")));
        assertEquals(List.of("2=from a", "3=from b", "4=again a", "5=and more"), seen.subList(0, delivered));
        assertEquals(4, delivered, "each record once, none after close: " + seen);
    }

    @Test
    void aFollowerThatFailsGetsTheRecordAgainAndNoneTwice() throws Exception {
        Journal journal = server("a").journal(name("entries"));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean failOnce = new AtomicBoolean(true);
        try (Subscription follow = server("b").journal(name("entries")).follow(0, (position, record) -> {
            if (position == 2 && failOnce.getAndSet(false)) {
                throw new IllegalStateException("a subscriber's hiccup");
            }
            seen.add(position + "=" + text(record));
        })) {
            journal.append(List.of(bytes("x"), bytes("y"), bytes("z")));
            CertwatchServer.await("the follower failed on y", Duration.ofSeconds(30), () -> !failOnce.get());
            journal.append(List.of(bytes("w"))); // a backend may retry at the next change at the latest
            CertwatchServer.await("the follower got past its failure", Duration.ofSeconds(30), () -> seen.size() == 4);
        }
        assertEquals(List.of("1=x", "2=y", "3=z", "4=w"), seen);
    }

    @Test
    void documentsKeepVersionsAndScanInKeyOrder() throws Exception {
        Documents docs = server("a").documents(name("directory"));
        assertEquals(Optional.empty(), docs.get("k"));
        docs.put("k", bytes("v1"));
        Document first = docs.get("k").orElseThrow();
        assertEquals(1, first.version());
        assertArrayEquals(bytes("v1"), first.value());
        docs.put("k", bytes("v2"));
        assertEquals(2, docs.get("k").orElseThrow().version());
        Map<String, byte[]> batch = new HashMap<>();
        batch.put("b", bytes("B"));
        batch.put("a", bytes("A"));
        batch.put("k", null);
        docs.putAll(batch);
        assertEquals(Optional.empty(), docs.get("k"), "null deletes");
        Map<String, String> scanned = new LinkedHashMap<>();
        server("b").documents(name("directory")).scan(d -> scanned.put(d.key(), text(d.value())));
        assertEquals(List.of("a", "b"), List.copyOf(scanned.keySet()), "key order, deleted keys absent");
        assertEquals("A", scanned.get("a"));
        docs.delete("a");
        docs.delete("never there");
        assertEquals(Optional.empty(), docs.get("a"));
    }

    @Test
    void putIfVersionRefusesToOverwriteAnotherServersChange() throws Exception {
        Documents mine = server("a").documents(name("settings"));
        Documents theirs = server("b").documents(name("settings"));
        assertEquals(Optional.of(1L), mine.putIfVersion("s", 0, bytes("mine")));
        assertEquals(Optional.empty(), theirs.putIfVersion("s", 0, bytes("also new")), "exists already");
        long read = theirs.get("s").orElseThrow().version();
        assertEquals(Optional.of(read + 1), theirs.putIfVersion("s", read, bytes("theirs")));
        assertEquals(Optional.empty(), mine.putIfVersion("s", read, bytes("stale")));
        assertEquals("theirs", text(mine.get("s").orElseThrow().value()));
        mine.delete("s");
        Optional<Long> again = mine.putIfVersion("s", 0, bytes("new again"));
        assertTrue(again.isPresent(), "absent again after the deletion");
        assertEquals("new again", text(theirs.get("s").orElseThrow().value()));
    }

    @Test
    void watchReportsOtherServersWritesAndDeletions() throws Exception {
        Documents a = server("a").documents(name("computers"));
        Documents b = server("b").documents(name("computers"));
        a.put("old", bytes("1"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicLong firstAt = new AtomicLong();
        try (Subscription watch = b.watch(keys -> {
            firstAt.compareAndSet(0, System.nanoTime());
            seen.addAll(keys);
        })) {
            long sent = System.nanoTime();
            a.put("pc1", bytes("x"));
            CertwatchServer.await("b sees pc1", Duration.ofSeconds(30), () -> seen.contains("pc1"));
            long latency = firstAt.get() - sent;
            assertTrue(latency < PROPAGATION.toNanos(), "a's write reached b's watcher in " + latency / 1_000_000 + " ms");
            a.delete("old");
            a.putAll(Map.of("pc2", bytes("y"), "pc3", bytes("z")));
            CertwatchServer.await("b sees the deletion and the batch", Duration.ofSeconds(30),
                    () -> seen.containsAll(Set.of("old", "pc2", "pc3")));
        }
        assertEquals(Set.of("pc1", "old", "pc2", "pc3"), seen, "only keys written after the watch began");
    }

    @Test
    void aLockExcludesTheOtherServerAndIsReentrant() throws Exception {
        Persistence a = server("a");
        Persistence b = server("b");
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean bInside = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = threads.submit(() -> a.exclusively(name("rollover"), () -> {
                holding.countDown();
                release.await(30, TimeUnit.SECONDS);
                assertFalse(bInside.get(), "b ran while a held the lock");
                return a.exclusively(name("rollover"), () -> "reentered");
            }));
            assertTrue(holding.await(30, TimeUnit.SECONDS));
            Future<String> second = threads.submit(() -> b.exclusively(name("rollover"), () -> {
                bInside.set(true);
                return "b";
            }));
            assertEquals("other", b.exclusively(name("another lock"), () -> "other"), "other names are free");
            assertThrows(java.util.concurrent.TimeoutException.class, () -> second.get(500, TimeUnit.MILLISECONDS));
            release.countDown();
            assertEquals("reentered", first.get(30, TimeUnit.SECONDS));
            assertEquals("b", second.get(30, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            threads.shutdownNow();
        }
        assertThrows(IllegalStateException.class, () -> a.exclusively(name("rollover"), () -> {
            throw new IllegalStateException("the work's own failure");
        }));
        assertEquals("free again", b.exclusively(name("rollover"), () -> "free again"), "a failed work releases");
    }

    @Test
    void anUnreachableBackendRefusesEveryCallAndComesBackWithEverything() throws Exception {
        Journal journal = server("a").journal(name("entries"));
        Documents docs = server("a").documents(name("settings"));
        journal.append(List.of(bytes("kept")));
        docs.put("smtp", bytes("kept"));
        List<String> followed = Collections.synchronizedList(new ArrayList<>());
        try (Subscription follow = server("b").journal(name("entries")).follow(1,
                (position, record) -> followed.add(text(record)))) {
            cutOff();
            try {
                assertThrows(StorageUnavailableException.class, () -> journal.append(List.of(bytes("lost"))));
                assertThrows(StorageUnavailableException.class, journal::head);
                assertThrows(StorageUnavailableException.class, () -> docs.get("smtp"));
                assertThrows(StorageUnavailableException.class, () -> docs.put("smtp", bytes("lost")));
                assertThrows(StorageUnavailableException.class, () -> server("a").exclusively(name("lock"), () -> 1));
            } finally {
                restore();
            }
            CertwatchServer.await("the backend answers again", Duration.ofSeconds(60), () -> {
                try {
                    journal.append(List.of(bytes("after")));
                    return true;
                } catch (StorageUnavailableException stillAway) {
                    return false;
                }
            });
            assertEquals("kept", text(docs.get("smtp").orElseThrow().value()));
            assertEquals(List.of("1=kept", "2=after"), readAll(journal, 0), "nothing of what was refused");
            CertwatchServer.await("the follower resumes", Duration.ofSeconds(30), () -> followed.contains("after"));
        }
    }

    @Test
    void oneLeaderAtATimeAndTheLeaseMovesWhenTheHolderStopsRenewing() throws Exception {
        Optional<Leadership> maybeA = leadership("a");
        assumeTrue(maybeA.isPresent(), "this backend's leadership is handed over by hand");
        Leadership a = maybeA.get();
        Leadership b = leadership("b").orElseThrow();
        Duration lease = leaseAndRenewal();
        CertwatchServer.await("one leader", Duration.ofSeconds(30), () -> a.isLeader() || b.isLeader());
        Leadership holder = a.isLeader() ? a : b;
        Leadership other = holder == a ? b : a;
        String holderId = holder == a ? "a" : "b";
        assertFalse(other.isLeader(), "never two leaders");
        assertEquals(Optional.of(server(holderId).serverId()), other.leader());
        AtomicLong otherBecameLeader = new AtomicLong();
        try (Subscription change = other.onChange(leader -> {
            if (leader) {
                otherBecameLeader.set(System.nanoTime());
            }
        })) {
            stopRenewing(holderId);
            long holderStopped = System.nanoTime();
            assertFalse(holder.isLeader(), "a server that stopped renewing is not the leader");
            CertwatchServer.await("the other server takes over", lease.multipliedBy(4).plusSeconds(30),
                    () -> otherBecameLeader.get() != 0);
            long handover = otherBecameLeader.get() - holderStopped;
            System.out.printf("%s: lease handed over %.0f ms after the holder stopped renewing%n",
                    getClass().getSimpleName(), handover / 1e6);
            assertTrue(other.isLeader());
        }
    }
}
