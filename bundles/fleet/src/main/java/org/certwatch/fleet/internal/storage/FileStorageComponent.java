package org.certwatch.fleet.internal.storage;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Chooses the fleet's storage at start from the framework property {@code certwatch.backend}: with
 * {@code file} (the default) it registers {@link FileFleetStorage} on {@code $CERTWATCH_DATA/fleet/};
 * with a shared backend it registers nothing, and {@link SharedFleetStorage} (its own component, with a
 * mandatory {@code Persistence} reference) provides the storage while the backend is there. Registered
 * by hand, on the activating thread, rather than by enabling a disabled component: SCR drops an enabling
 * that arrives while the bundle stops, and the stop then waits forever.
 */
@Component(immediate = true)
public final class FileStorageComponent {
    private final FileFleetStorage storage;
    private final ServiceRegistration<FleetStorage> registration;

    @Activate
    public FileStorageComponent(BundleContext context) {
        String backend = context.getProperty(RuntimeProperties.BACKEND);
        if (backend == null || backend.isEmpty() || backend.equals(RuntimeProperties.BACKEND_FILE)) {
            storage = new FileFleetStorage(Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("fleet"));
            registration = context.registerService(FleetStorage.class, storage, null);
        } else {
            storage = null;
            registration = null;
        }
    }

    /** The fleet's components stop with the registration, then a compaction under way ends. */
    @Deactivate
    void close() {
        if (registration != null) {
            registration.unregister();
            storage.close();
        }
    }
}
