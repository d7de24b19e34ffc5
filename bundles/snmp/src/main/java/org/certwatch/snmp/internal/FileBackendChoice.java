package org.certwatch.snmp.internal;

import org.certwatch.commons.persistence.Backends;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes the {@link FileSnmpBackend} instance on the activating thread when {@code certwatch.backend}
 * is {@code file}; with a shared backend {@link SharedSnmpBackend} is the one {@link SnmpBackend}.
 */
@Component(immediate = true)
public final class FileBackendChoice {
    private final ComponentInstance<SnmpBackend> files;

    @Activate
    public FileBackendChoice(BundleContext context,
            @Reference(target = "(component.factory=" + FileSnmpBackend.FACTORY + ")")
            ComponentFactory<SnmpBackend> factory) {
        this.files = Backends.files(context) ? factory.newInstance(null) : null;
    }

    @Deactivate
    void deactivate() {
        if (files != null) {
            files.dispose();
        }
    }
}
