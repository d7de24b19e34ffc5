package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.store.CertificateStore;

/**
 * What one start of the monitor opened from its {@link MonitorBackend}: the storage, the outbox replayed from
 * its journal and following the other servers' records, the notification definitions and the engine loaded
 * from the store (the catch-up on thresholds crossed while the server was down). Opened all or nothing, so a
 * start that fails leaves nothing open and can simply be tried again; closed together.
 */
record OpenMonitor(MonitorStorage storage, Outbox outbox, Subscription following, NotificationBook book,
        MonitorEngine engine) {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");

    /** {@code leading}: whether the outbox delivers and schedules notices now (see {@link Outbox#open}). */
    static OpenMonitor open(MonitorBackend backend, MonitorConfiguration config, CertificateStore store, Clock clock,
            Events events, BooleanSupplier leading) throws Exception {
        MonitorStorage storage = backend.open(config);
        Outbox outbox = null;
        Subscription following = () -> { };
        try {
            outbox = Outbox.open(storage, clock, System::nanoTime, config.backoff_initial_ms(),
                    config.backoff_max_ms(), leading);
            following = storage.followJournal(outbox::applyFollowed);
            NotificationBook book = NotificationBook.open(storage);
            MonitorEngine engine = new MonitorEngine(Inventory.of(store), clock, events, outbox,
                    Duration.ofDays(config.warning_days()), Duration.ofDays(config.critical_days()), 1024,
                    config.silent_intervals());
            engine.load(book.all());
            return new OpenMonitor(storage, outbox, following, book, engine);
        } catch (Exception | Error e) {
            following.close();
            close(outbox != null ? outbox : storage);
            throw e;
        }
    }

    void close() {
        following.close();
        close(outbox);
    }

    /** The outbox closes its storage. */
    private static void close(AutoCloseable outboxOrStorage) {
        try {
            outboxOrStorage.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the outbox failed", e);
        }
    }
}
