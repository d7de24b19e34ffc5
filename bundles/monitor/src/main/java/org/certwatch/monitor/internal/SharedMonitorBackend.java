package org.certwatch.monitor.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.persistence.Backends;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The monitor over the PostgreSQL backend's {@link Persistence} and {@link Leadership}: present only
 * while both are, so the monitor's services go with the database bundle and come back with it.
 */
@Component(service = MonitorBackend.class)
public final class SharedMonitorBackend implements MonitorBackend {
    private final Persistence persistence;
    private final Leadership leadership;

    @Activate
    public SharedMonitorBackend(@Reference(target = Backends.POSTGRESQL) Persistence persistence,
            @Reference(target = Backends.POSTGRESQL) Leadership leadership) {
        this.persistence = persistence;
        this.leadership = leadership;
    }

    @Override
    public MonitorStorage open(MonitorConfiguration config) {
        return new SharedMonitorStorage(persistence, config.shared_compaction_records());
    }

    @Override
    public boolean leading() {
        return leadership.isLeader();
    }

    @Override
    public Subscription onLeadershipChange(Leadership.Listener listener) {
        return leadership.onChange(listener);
    }
}
