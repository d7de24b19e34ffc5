package org.certwatch.mail.internal;

import org.certwatch.commons.persistence.Backends;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentFactory;
import org.osgi.service.component.ComponentInstance;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Makes the {@link FileMailBackend} instance on the activating thread when {@code certwatch.backend}
 * is {@code file}; with a shared backend {@link SharedMailBackend} is the one {@link MailBackend}.
 */
@Component(immediate = true)
public final class FileBackendChoice {
    private final ComponentInstance<MailBackend> files;

    @Activate
    public FileBackendChoice(BundleContext context,
            @Reference(target = "(component.factory=" + FileMailBackend.FACTORY + ")")
            ComponentFactory<MailBackend> factory) {
        this.files = Backends.files(context) ? factory.newInstance(null) : null;
    }

    @Deactivate
    void deactivate() {
        if (files != null) {
            files.dispose();
        }
    }
}
