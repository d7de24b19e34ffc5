package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.monitor.internal.Fixtures.RecordingChannel;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;

/**
 * The outbox and the notification definitions keep everything through {@link MonitorStorage}: over a
 * backend that is not files (a list here, a database later) they survive a restart the same way.
 */
class MonitorStorageSeamTest {
    /** Records kept in lists, as a second backend would keep them in tables. */
    static final class MemoryStorage implements MonitorStorage {
        final List<Map<String, Object>> journal = new ArrayList<>();
        Map<String, Object> definitions;

        @Override
        public void replayJournal(Consumer<Map<String, Object>> apply) {
            journal.forEach(apply);
        }

        @Override
        public void rewriteJournal(List<Map<String, Object>> records) {
            journal.clear();
            journal.addAll(records);
        }

        @Override
        public void appendJournal(List<Map<String, Object>> records) {
            journal.addAll(records);
        }

        @Override
        public String journalName() {
            return "memory";
        }

        @Override
        public Optional<Map<String, Object>> readDefinitions() {
            return Optional.ofNullable(definitions);
        }

        @Override
        public void writeDefinitions(Map<String, Object> document) {
            definitions = document;
        }

        @Override
        public void close() {
        }
    }

    final SettableClock clock = new SettableClock(T0);
    final AtomicLong nanos = new AtomicLong();
    final MemoryStorage storage = new MemoryStorage();

    @Test
    void theOutboxSurvivesARestartOverAnotherBackend() throws IOException {
        try (Outbox box = Outbox.open(storage, clock, nanos::get, 1000, 8000)) {
            box.commit(List.of(new Outbox.StateRecord("n1", 14, 30)),
                    List.of(OutboxTest.notice("a", true, true), OutboxTest.notice("b", true, false)));
            RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
            box.deliverRound(Map.<String, NotificationChannel>of(mail.name(), mail)::get);
            assertEquals(2, mail.delivered.size());
        }
        try (Outbox box = Outbox.open(storage, clock, nanos::get, 1000, 8000)) {
            assertEquals(30, box.notified("n1", 14));
            assertEquals(1, box.size(), "a still waits for snmp, b is done");
            assertEquals(List.of("snmp"), box.entries().get(0).pendingChannels());
            assertEquals(2, storage.journal.size(), "compacted on open: one state, one notice");
        }
    }

    @Test
    void definitionsAreSavedAndReadThroughTheSeam() throws IOException {
        NotificationBook first = NotificationBook.open(storage);
        NotificationDefinition saved = first.create(new NotificationDefinition(null, "peers", NotificationScope.PEER_CERTIFICATES,
                null, List.of(7, 30), List.of("ops@example.org"), false, "All", true, false));
        NotificationBook again = NotificationBook.open(storage);
        assertEquals(List.of(NotificationBook.SERVER_ID, NotificationBook.CA_ID, saved.id()),
                again.all().stream().map(NotificationDefinition::id).toList());
        assertEquals(saved, again.get(saved.id()).orElseThrow());
    }

    @Test
    void ownerGroupsFollowTheRenamesOfTheirGroupOnceAndDurably() throws IOException {
        NotificationBook book = NotificationBook.open(storage);
        NotificationDefinition lab = book.create(new NotificationDefinition(null, "lab", NotificationScope.PEER_CERTIFICATES,
                null, List.of(7), List.of(), true, "All/Berlin/Lab/Bench", true, false));
        List<org.certwatch.api.fleet.GroupRename> renames = List.of(new org.certwatch.api.fleet.GroupRename(1,
                "All/Berlin/Lab", "All/Berlin/Lab-2", java.time.Instant.parse("2026-12-05T04:00:00Z")));
        assertTrue(book.followRenames(renames));
        assertFalse(book.followRenames(renames), "applied again: nothing moves");
        NotificationBook again = NotificationBook.open(storage);
        assertEquals("All/Berlin/Lab-2/Bench", again.get(lab.id()).orElseThrow().ownerGroup());
        assertEquals("All", again.get(NotificationBook.SERVER_ID).orElseThrow().ownerGroup());
    }
}
