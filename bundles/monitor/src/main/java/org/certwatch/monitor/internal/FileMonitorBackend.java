package org.certwatch.monitor.internal;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Subscription;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The monitor's files in {@code $CERTWATCH_DATA/monitor}; the one server is always the leader. A
 * factory component: {@link FileBackendChoice} makes the one instance in file mode.
 */
@Component(factory = FileMonitorBackend.FACTORY, service = MonitorBackend.class)
public final class FileMonitorBackend implements MonitorBackend {
    static final String FACTORY = "org.certwatch.monitor.backend.file";

    private final Path folder;

    @Activate
    public FileMonitorBackend(BundleContext context) {
        this.folder = Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("monitor");
    }

    @Override
    public MonitorStorage open(MonitorConfiguration config) {
        return new FileMonitorStorage(folder);
    }

    @Override
    public boolean leading() {
        return true;
    }

    @Override
    public Subscription onLeadershipChange(Leadership.Listener listener) {
        return () -> { };
    }
}
