package org.certwatch.monitor.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Subscription;

/**
 * Where the monitor keeps its state and whether this server does the work that must happen once
 * (scheduled notices, delivery). One service per start: {@link FileMonitorBackend} in the default
 * file mode, {@link SharedMonitorBackend} while a shared backend's {@code Persistence} is present.
 */
interface MonitorBackend {
    /** Opens the storage for one activation of the monitor, with its configuration. */
    MonitorStorage open(MonitorConfiguration config);

    /** True while this server schedules notices and delivers them (always, alone on files). */
    boolean leading();

    /** Calls {@code listener} when {@link #leading()} changes, on a thread the backend owns. */
    Subscription onLeadershipChange(Leadership.Listener listener);
}
