package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.testing.SettableClock;
import org.certwatch.monitor.internal.Fixtures.RecordingChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;
    final SettableClock clock = new SettableClock(T0);
    final AtomicLong nanos = new AtomicLong();
    final Map<String, NotificationChannel> channels = new HashMap<>();

    static Notice notice(String id, boolean mail, boolean snmp) {
        return new Notice(id, NoticeKind.CERTIFICATE_EXPIRING, T0, "n", 1, "AB", "CN=x", "CN=ca", null, "x", "ff",
                T0, 30, 30, "All", "text " + id, "/certificates/1", mail ? List.of("a@example.org") : List.of(), snmp,
                0, 0, "", "");
    }

    private Outbox open() throws IOException {
        return Outbox.open(new FileMonitorStorage(dir), clock, nanos::get, 1000, 8000);
    }

    @Test
    void noticesWaitForAnAbsentChannelAndGoOutInOrderWhenItComes() throws IOException {
        try (Outbox box = open()) {
            box.commit(List.of(), List.of(notice("a", true, false), notice("b", true, true), notice("c", true, false)));
            assertEquals(Long.MAX_VALUE, box.deliverRound(channels::get));
            assertEquals(3, box.size());
            RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
            channels.put(mail.name(), mail);
            box.deliverRound(channels::get);
            assertEquals(List.of("a", "b", "c"), mail.delivered.stream().map(Notice::id).toList());
            assertEquals(1, box.size(), "b still waits for snmp");
            assertEquals(List.of("snmp"), box.entries().get(0).pendingChannels());
        }
        try (Outbox box = open()) {
            assertEquals(1, box.size(), "what mail confirmed stays confirmed after a restart");
            RecordingChannel snmp = new RecordingChannel(NotificationChannel.SNMP);
            channels.put(snmp.name(), snmp);
            RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
            channels.put(mail.name(), mail);
            box.deliverRound(channels::get);
            assertEquals(List.of("b"), snmp.delivered.stream().map(Notice::id).toList());
            assertEquals(List.of(), mail.delivered);
            assertEquals(0, box.size());
        }
    }

    @Test
    void transientFailuresBackOffExponentiallyThenDeliver() throws IOException {
        try (Outbox box = open()) {
            RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
            channels.put(mail.name(), mail);
            mail.failure = new DeliveryException("421 try later", false);
            box.commit(List.of(), List.of(notice("a", true, false), notice("b", true, false)));
            assertEquals(1_000_000_000L, box.deliverRound(channels::get));
            assertEquals("mail: 421 try later", box.entries().get(0).lastError());
            assertEquals(0, box.entries().get(1).attempts(), "order kept: b waits behind a");
            nanos.addAndGet(500_000_000L);
            assertEquals(500_000_000L, box.deliverRound(channels::get), "still backing off");
            nanos.addAndGet(500_000_000L);
            assertEquals(2_000_000_000L, box.deliverRound(channels::get), "doubled");
            nanos.addAndGet(2_000_000_000L);
            assertEquals(4_000_000_000L, box.deliverRound(channels::get));
            nanos.addAndGet(4_000_000_000L);
            assertEquals(8_000_000_000L, box.deliverRound(channels::get));
            nanos.addAndGet(8_000_000_000L);
            assertEquals(8_000_000_000L, box.deliverRound(channels::get), "capped");
            mail.failure = null;
            nanos.addAndGet(8_000_000_000L);
            box.deliverRound(channels::get);
            assertEquals(List.of("a", "b"), mail.delivered.stream().map(Notice::id).toList());
            assertEquals(0, box.size());
        }
    }

    @Test
    void permanentFailureWaitsForAnAdminAndSurvivesRestart() throws IOException {
        RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
        channels.put(mail.name(), mail);
        try (Outbox box = open()) {
            mail.failure = new DeliveryException("550 5.1.1 <a@example.org>: Recipient address rejected", true);
            box.commit(List.of(), List.of(notice("a", true, false), notice("b", true, false)));
            box.deliverRound(channels::get);
            assertTrue(box.entries().get(0).failed());
            assertTrue(box.entries().get(1).failed(), "each notice fails on its own");
        }
        try (Outbox box = open()) {
            assertTrue(box.entries().get(0).failed());
            assertTrue(box.entries().get(0).lastError().contains("550 5.1.1"));
            mail.failure = null;
            box.deliverRound(channels::get);
            assertEquals(List.of(), mail.delivered, "failed notices wait");
            assertTrue(box.retry("a"));
            assertTrue(box.discard("b"));
            assertFalse(box.discard("b"));
            box.deliverRound(channels::get);
            assertEquals(List.of("a"), mail.delivered.stream().map(Notice::id).toList());
            assertEquals(0, box.size());
        }
    }

    @Test
    void stateIsDurableTornTailIgnoredAndFileIsOwnerOnly() throws IOException {
        try (Outbox box = open()) {
            box.commit(List.of(new Outbox.StateRecord("n1", 14, 30)), List.of(notice("a", true, false)));
        }
        Files.writeString(dir.resolve("journal.log"), "{\"op\":\"add\",\"notice\":{\"id\":\"to", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        try (Outbox box = open()) {
            assertEquals(30, box.notified("n1", 14));
            assertEquals(1, box.size());
            box.forget("n1");
        }
        try (Outbox box = open()) {
            assertEquals(null, box.notified("n1", 14));
            assertEquals("rw-------", PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(dir.resolve("journal.log"))));
        }
    }

    @Test
    void noticeWithoutChannelsIsNotQueuedButItsStateIs() throws IOException {
        try (Outbox box = open()) {
            box.commit(List.of(new Outbox.StateRecord("n", 2, -1)), List.of(notice("x", false, false)));
            assertEquals(0, box.size());
            assertEquals(-1, box.notified("n", 2));
        }
    }
}
