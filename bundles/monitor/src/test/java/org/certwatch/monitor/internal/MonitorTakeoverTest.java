package org.certwatch.monitor.internal;

import static org.certwatch.monitor.internal.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.monitor.internal.Fixtures.RecordingChannel;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.MemoryCertificateStore;
import org.certwatch.testing.MemoryLeadership;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor component of a server that becomes the leader on a shared backend ({@link MemoryPersistence},
 * {@link MemoryLeadership}): it catches up, then delivers what the old leader left, and says so in the log.
 */
class MonitorTakeoverTest {
    final MemoryPersistence shared = new MemoryPersistence();
    final MemoryLeadership leaseB = new MemoryLeadership("b", false);
    final RecordingChannel mail = new RecordingChannel(NotificationChannel.MAIL);
    final LoggedLines log = new LoggedLines("org.certwatch.monitor.outbox");
    final List<String> logged = log.lines;
    final RecordingPublication published = new RecordingPublication();
    MonitorComponent b;

    @BeforeEach
    void start() throws Exception {
        // the old leader queued two notices and was killed before handing any to a channel
        SharedMonitorStorage a = new SharedMonitorStorage(shared.server("a"));
        Outbox old = Outbox.open(a, new SettableClock(T0), System::nanoTime, 1000, 8000, () -> true);
        old.commit(List.of(), List.of(OutboxTest.notice("x1", true, false), OutboxTest.notice("x2", true, false)));

        b = new MonitorComponent(new SharedMonitorBackend(shared.server("b"), leaseB), defaults(),
                new MemoryCertificateStore(new SettableClock(T0)));
        b.bindChannel(mail, Map.of());
        b.launch(published);
        CertwatchServer.await("the monitor started", Duration.ofSeconds(20), () -> published.runtime != null);
    }

    @AfterEach
    void stop() throws InterruptedException {
        b.deactivate();
        log.close();
        shared.close();
    }

    @Test
    void aTakeoverWhoseCatchUpFailsIsRetriedAndTheNewLeaderDeliversWhatTheOldOneLeft() throws Exception {
        assertFalse(b.outbox().leading(), "a follower delivers nothing");
        assertEquals(2, b.outbox().size(), "it lists what the old leader left");

        shared.setAvailable(false); // the database is away right when the lease passes
        leaseB.set(true);
        assertFalse(b.outbox().leading(), "no delivery before the catch-up");
        shared.setAvailable(true);

        // the scheduler retries the failed catch-up a second later; dropped, it left delivery off for good
        CertwatchServer.await("the catch-up retried and both delivered", Duration.ofSeconds(20),
                () -> mail.delivered.size() == 2);
        assertEquals(List.of("x1", "x2"), mail.delivered.stream().map(Notice::id).toList());
        assertTrue(logged.contains("outbox: leading, 2 notices to deliver"), "one line says delivery started: " + logged);
    }

    @Test
    void everyTermOfLeadershipIsAnnouncedEvenOneTheDeliveryDidNotSeeEnd() throws Exception {
        leaseB.set(true);
        CertwatchServer.await("both delivered", Duration.ofSeconds(20), () -> mail.delivered.size() == 2);
        leaseB.set(false); // lost and won back while the delivery thread sleeps
        leaseB.set(true);
        CertwatchServer.await("the second term announced", Duration.ofSeconds(20),
                () -> leadingLines().size() == 2);
        assertEquals(List.of("outbox: leading, 2 notices to deliver", "outbox: leading, 0 notices to deliver"),
                leadingLines());
    }

    private List<String> leadingLines() {
        return logged.stream().filter(line -> line.startsWith("outbox: leading")).toList();
    }

    /** The configuration with every attribute at its default, as DS hands it without a cfg file. */
    static MonitorConfiguration defaults() {
        return (MonitorConfiguration) Proxy.newProxyInstance(MonitorConfiguration.class.getClassLoader(),
                new Class<?>[] {MonitorConfiguration.class}, (proxy, method, args) -> method.getDefaultValue());
    }
}
