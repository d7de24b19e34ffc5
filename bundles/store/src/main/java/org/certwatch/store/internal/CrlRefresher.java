package org.certwatch.store.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.certwatch.api.Topics;
import org.certwatch.store.internal.core.PkiStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * Re-issues CRLs before their nextUpdate: every {@code crl.check.minutes}, and at once when the
 * test clock moves (that may push them towards nextUpdate). Enabled by {@link StoreComponent} once
 * the store is open.
 */
@Component(service = EventHandler.class, configurationPid = "org.certwatch.store",
        property = EventConstants.EVENT_TOPIC + "=" + Topics.CLOCK_CHANGED)
public final class CrlRefresher implements EventHandler {
    private final PkiStore store;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "certwatch-store-crl");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public CrlRefresher(@Reference StoreHandle handle) {
        this.store = handle.store();
    }

    @Activate
    void start(StoreConfiguration config) {
        long minutes = Math.max(1, config.crl_check_minutes());
        executor.scheduleWithFixedDelay(store::refreshCrls, minutes, minutes, TimeUnit.MINUTES);
    }

    @Override
    public void handleEvent(Event event) {
        executor.execute(store::refreshCrls);
    }

    @Deactivate
    void stop() {
        executor.shutdown(); // lets a running refresh finish its CRL write
        try {
            executor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
