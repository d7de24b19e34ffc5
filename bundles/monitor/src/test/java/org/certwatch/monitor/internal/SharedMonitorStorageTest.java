package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.notify.OutboxEntry;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.monitor.internal.Fixtures.RecordingChannel;
import org.certwatch.testing.MemoryLeadership;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two servers sharing one backend ({@link MemoryPersistence}): the outbox journal and the definitions
 * are shared, only the leader delivers, and a new leader sends what the old one left, with its ids.
 */
class SharedMonitorStorageTest {
    final MemoryPersistence shared = new MemoryPersistence();
    final SettableClock clock = new SettableClock(T0);
    final AtomicLong nanos = new AtomicLong();
    final MemoryLeadership leaseA = new MemoryLeadership("a", true);
    final MemoryLeadership leaseB = new MemoryLeadership("b", false);
    final RecordingChannel mailA = new RecordingChannel(NotificationChannel.MAIL);
    final RecordingChannel mailB = new RecordingChannel(NotificationChannel.MAIL);

    @AfterEach
    void close() throws InterruptedException {
        shared.close();
    }

    /** One server's outbox, following the others' records as the monitor does. */
    record Server(SharedMonitorStorage storage, Outbox outbox, Subscription following) implements AutoCloseable {
        long deliver(RecordingChannel mail) {
            return outbox.deliverRound(Map.<String, NotificationChannel>of(mail.name(), mail)::get);
        }

        List<String> pending() {
            return outbox.entries().stream().map(OutboxEntry::notice).map(Notice::id).toList();
        }

        @Override
        public void close() throws IOException {
            following.close();
            outbox.close();
        }
    }

    Server server(String id, MemoryLeadership lease) throws IOException {
        SharedMonitorStorage storage = new SharedMonitorStorage(shared.server(id));
        Outbox outbox = Outbox.open(storage, clock, nanos::get, 1000, 8000, lease::isLeader);
        return new Server(storage, outbox, storage.followJournal(outbox::applyFollowed));
    }

    @Test
    void aNewLeaderSendsWhatTheOldOneLeftWithTheSameIds() throws Exception {
        try (Server a = server("a", leaseA); Server b = server("b", leaseB)) {
            a.outbox.commit(List.of(new Outbox.StateRecord("n1", 14, 30)),
                    List.of(OutboxTest.notice("x1", true, false), OutboxTest.notice("x2", true, false)));
            leaseA.set(false); // the lease passes before A handed anything to a channel
            assertEquals(Long.MAX_VALUE, a.deliver(mailA));
            assertEquals(List.of(), mailA.delivered, "a server that lost the lease delivers nothing");

            leaseB.set(true);
            b.storage.catchUp(); // what becoming the leader does first, whether or not the follower ran
            b.deliver(mailB);
            assertEquals(List.of("x1", "x2"), mailB.delivered.stream().map(Notice::id).toList());
            assertEquals(30, b.outbox.notified("n1", 14), "the old leader's state came along");

            shared.settle();
            assertEquals(List.of(), a.pending(), "A follows B's acknowledgements");
            assertEquals(List.of(), b.pending());
        }
        try (Server again = server("c", new MemoryLeadership("c", true))) {
            again.deliver(mailA);
            assertEquals(List.of(), mailA.delivered, "acknowledged once is never sent again");
        }
    }

    @Test
    void aFollowerListsTheOutboxButNeverDeliversWhileTheOtherLeads() throws Exception {
        try (Server a = server("a", leaseA); Server b = server("b", leaseB)) {
            b.outbox.commit(List.of(), List.of(OutboxTest.notice("test.1", true, false))); // a test notice on B
            shared.settle();
            assertEquals(List.of("test.1"), a.pending());
            assertEquals(List.of("test.1"), b.pending());

            b.deliver(mailB);
            assertEquals(List.of(), mailB.delivered, "B is not the leader");
            a.deliver(mailA);
            assertEquals(List.of("test.1"), mailA.delivered.stream().map(Notice::id).toList());
            shared.settle();
            assertEquals(List.of(), b.pending(), "B follows A's acknowledgement");
        }
    }

    @Test
    void aServerSkipsItsOwnRecordsWhenFollowing() throws Exception {
        try (Server a = server("a", leaseA)) {
            a.outbox.commit(List.of(), List.of(OutboxTest.notice("y", true, false)));
            a.deliver(mailA);
            shared.settle(); // the follower passes the add and the done A wrote: neither is applied again
            assertEquals(List.of(), a.pending());
            a.deliver(mailA);
            assertEquals(1, mailA.delivered.size());
        }
    }

    /**
     * Two servers started together on an empty backend both find no definitions; the one that writes second used
     * to have its write refused as a conflict, which failed its monitor's activation (and, in the distribution,
     * left its outbox courier unactivated: a server that later led mailed nothing).
     */
    @Test
    void serversStartingTogetherOnAnEmptyBackendBothOpenTheSamePredefinedNotifications() throws Exception {
        SharedMonitorStorage a = new SharedMonitorStorage(shared.server("a"));
        SharedMonitorStorage b = new SharedMonitorStorage(shared.server("b"));
        List<NotificationBook> opened = new ArrayList<>();
        MonitorStorage racing = (MonitorStorage) Proxy.newProxyInstance(MonitorStorage.class.getClassLoader(),
                new Class<?>[] {MonitorStorage.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(b, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("readDefinitions") && opened.isEmpty()) {
                        opened.add(NotificationBook.open(a)); // A saves between B's read and B's save
                    }
                    return result;
                });

        NotificationBook bookB = NotificationBook.open(racing);

        assertEquals(List.of(NotificationBook.SERVER_ID, NotificationBook.CA_ID),
                bookB.all().stream().map(NotificationDefinition::id).toList());
        assertEquals(opened.get(0).all(), bookB.all(), "B took what A saved");
        NotificationDefinition created = bookB.create(definition("from b"));
        assertEquals("from b", created.name(), "B's later changes start from what A saved, not from a refusal");
        assertTrue(opened.get(0).refresh(), "A takes B's change");
    }

    @Test
    void definitionsAreSharedAndIdsAllocatedOnce() throws Exception {
        try (Server a = server("a", leaseA); Server b = server("b", leaseB)) {
            NotificationBook bookA = NotificationBook.open(a.storage);
            NotificationBook bookB = NotificationBook.open(b.storage);
            NotificationDefinition first = bookA.create(definition("from a"));
            NotificationDefinition second = bookB.create(definition("from b"));
            assertNotEquals(first.id(), second.id(), "B allocated after what A saved");
            assertTrue(bookA.refresh(), "A takes B's change");
            assertEquals(List.of("server certificate expiring", "certification authority expiring", "from a", "from b"),
                    bookA.all().stream().map(NotificationDefinition::name).toList());
            assertEquals(bookA.all(), bookB.all());
            assertEquals(false, bookA.refresh(), "nothing new");
        }
    }

    @Test
    void theLeaderCompactsTheSharedJournalAndFollowersAndNewServersKeepTheSameOutbox() throws Exception {
        try (Server a = server("a", leaseA); Server b = server("b", leaseB)) {
            List<Notice> burst = new java.util.ArrayList<>();
            for (int i = 0; i < 600; i++) {
                burst.add(OutboxTest.notice("burst." + i, true, false));
            }
            b.outbox.commit(List.of(), burst);
            shared.settle();
            a.deliver(mailA); // 600 adds and 600 dones: due for compaction
            b.outbox.commit(List.of(new Outbox.StateRecord("n1", 7, 30)),
                    List.of(OutboxTest.notice("keep.1", false, true), OutboxTest.notice("keep.2", false, true)));
            shared.settle();
            assertEquals(600 + 600 + 3, records().size());

            a.deliver(mailA); // no SNMP channel here: the two stay, the rest is history
            b.outbox.commit(List.of(), List.of(OutboxTest.notice("late", false, true))); // before B saw the checkpoint
            List<String> kept = records();
            assertEquals(1 + 1 + 2 + 1, kept.size(), "checkpoint, one state, two waiting notices, B's late one: " + kept);
            assertTrue(kept.get(0).contains("\"op\":\"checkpoint\""), kept.get(0));
            assertEquals(600, mailA.delivered.size());

            shared.settle();
            assertEquals(List.of("keep.1", "keep.2", "late"), a.pending());
            // which notices, not their order: B's own append may reach its memory while it applies the snapshot's records
            assertEquals(java.util.Set.of("keep.1", "keep.2", "late"), java.util.Set.copyOf(b.pending()),
                    "B's own append survives the reset");
            assertEquals(3, b.pending().size(), "none twice");
            assertEquals(30, b.outbox.notified("n1", 7));
        }
        try (Server c = server("c", new MemoryLeadership("c", false))) {
            assertEquals(List.of("keep.1", "keep.2", "late"), c.pending(), "a new server reads the compacted journal");
            assertEquals(30, c.outbox.notified("n1", 7));
        }
    }

    private List<String> records() throws Exception {
        List<String> all = new java.util.ArrayList<>();
        shared.server("reader").journal(SharedMonitorStorage.JOURNAL)
                .read(0, (position, record) -> all.add(new String(record, java.nio.charset.StandardCharsets.UTF_8)));
        return all;
    }

    private static NotificationDefinition definition(String name) {
        return new NotificationDefinition(null, name, NotificationScope.PEER_CERTIFICATES, null, List.of(7),
                List.of("ops@example.org"), false, "All", true, false);
    }
}
