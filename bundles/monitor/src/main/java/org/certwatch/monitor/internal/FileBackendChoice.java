package org.certwatch.monitor.internal;

import org.certwatch.commons.persistence.Backends;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Chooses the file backend when the framework property {@code certwatch.backend} names none other: it
 * makes the {@link FileMonitorBackend} instance on the activating thread (synchronously, so a stop
 * during the start finds nothing pending) and disposes of it on deactivation. With a shared backend
 * there is no instance and {@link SharedMonitorBackend} is the monitor's one {@link MonitorBackend}.
 */
@Component(immediate = true)
public final class FileBackendChoice {
    private final ComponentInstance<MonitorBackend> files;

    @Activate
    public FileBackendChoice(BundleContext context,
            @Reference(target = "(component.factory=" + FileMonitorBackend.FACTORY + ")")
            ComponentFactory<MonitorBackend> factory) {
        this.files = Backends.files(context) ? factory.newInstance(null) : null;
    }

    @Deactivate
    void deactivate() {
        if (files != null) {
            files.dispose();
        }
    }
}
