package org.certwatch.monitor.internal;

import java.time.Clock;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.ComputerRegistry;

/**
 * The open monitor (outbox, definitions, loaded engine, scheduler), published inside the bundle by
 * {@link MonitorComponent} once it is ready; the bundle's public services are components that
 * reference it, so they appear only when there is something to serve.
 */
interface MonitorRuntime {
    MonitorEngine engine();

    Outbox outbox();

    NotificationBook book();

    Clock clock();

    /** Runs {@code task} on the scheduler thread. */
    void submit(Runnable task);

    /** The computer registry now, null when absent. */
    ComputerRegistry computers();

    void audit(AuditEntry entry);
}
