package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.monitor.internal.Fixtures.RecordingChannel;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.MemoryCertificateStore;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A monitor whose first starts fail (its storage away, as the refused write of two servers racing on an empty
 * database once was) is not left undelivering: the component's activation returns, it says once why it waits, tries
 * again by itself with back-off, publishes the runtime when the storage answers and delivers on its own thread.
 */
class MonitorStartTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    final LoggedLines log = new LoggedLines("org.certwatch.monitor");
    final List<String> logged = log.lines;
    final RecordingPublication published = new RecordingPublication();
    final RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
    MonitorComponent monitor;

    @AfterEach
    void stop() {
        if (monitor != null) {
            monitor.deactivate();
        }
        log.close();
    }

    @Test
    void aStartThatFailsIsTriedAgainByItselfAndTheMonitorThenDelivers() throws Exception {
        AtomicInteger opens = new AtomicInteger();
        List<UnavailableStorage> failed = new CopyOnWriteArrayList<>();
        MonitorBackend flaky = new MonitorBackend() {
            @Override
            public MonitorStorage open(MonitorConfiguration config) {
                if (opens.incrementAndGet() <= 2) {
                    UnavailableStorage away = new UnavailableStorage();
                    failed.add(away);
                    return away;
                }
                return new FileMonitorStorage(dir);
            }

            @Override
            public boolean leading() {
                return true;
            }

            @Override
            public Subscription onLeadershipChange(Leadership.Listener listener) {
                return () -> { };
            }
        };
        monitor = new MonitorComponent(flaky, MonitorTakeoverTest.defaults(),
                new MemoryCertificateStore(new SettableClock(T0)));
        monitor.bindChannel(mail, Map.of());
        monitor.launch(published); // returns at once: the start runs on the component's thread

        CertwatchServer.await("the monitor started on its third try", WAIT, () -> published.runtime != null);
        assertEquals(3, opens.get());
        assertTrue(failed.stream().allMatch(s -> s.closed), "a failed start leaves nothing open");
        assertEquals(List.of("its start, tried again with back-off: storage away"), published.waiting,
                "readiness names it as waiting, once for one cause");
        assertEquals(1, logged.stream().filter(l -> l.startsWith("expiry monitor not started, trying again in 1 s")
                && l.endsWith(": storage away")).count(), "one line for two failures of one cause: " + logged);
        CertwatchServer.await("the ready line naming the attempt", WAIT, () -> logged.stream()
                .anyMatch(l -> l.startsWith("expiry monitor ready") && l.endsWith("(start attempt 3)")));

        published.runtime.outbox().commit(List.of(), List.of(OutboxTest.notice("after-a-failed-start", true, false)));
        CertwatchServer.await("the notice delivered by the monitor's own thread", WAIT, () -> !mail.delivered.isEmpty());
        assertEquals(List.of("after-a-failed-start"), mail.delivered.stream().map(Notice::id).toList());

        monitor.deactivate();
        monitor = null;
        assertTrue(published.withdrawn, "the runtime is withdrawn before the monitor closes");
    }

    /** A storage whose every read fails as a database that does not answer. */
    private static final class UnavailableStorage implements MonitorStorage {
        volatile boolean closed;

        @Override
        public void replayJournal(Consumer<Map<String, Object>> apply) {
            throw new StorageUnavailableException("storage away", null);
        }

        @Override
        public void rewriteJournal(List<Map<String, Object>> records) {
            throw new StorageUnavailableException("storage away", null);
        }

        @Override
        public void appendJournal(List<Map<String, Object>> records) {
            throw new StorageUnavailableException("storage away", null);
        }

        @Override
        public String journalName() {
            return "unavailable";
        }

        @Override
        public Optional<Map<String, Object>> readDefinitions() {
            throw new StorageUnavailableException("storage away", null);
        }

        @Override
        public void writeDefinitions(Map<String, Object> document) {
            throw new StorageUnavailableException("storage away", null);
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
