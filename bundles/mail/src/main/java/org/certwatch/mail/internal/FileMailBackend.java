package org.certwatch.mail.internal;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code $CERTWATCH_DATA/mail/settings.properties}; the one instance is made by {@link FileBackendChoice}. */
@Component(factory = FileMailBackend.FACTORY, service = MailBackend.class)
public final class FileMailBackend implements MailBackend {
    static final String FACTORY = "org.certwatch.mail.backend.file";

    private final StoredDocument settings;

    @Activate
    public FileMailBackend(BundleContext context) {
        this.settings = document(Path.of(context.getProperty(RuntimeProperties.DATA)));
    }

    @Override
    public StoredDocument settings() {
        return settings;
    }

    /** The document in the data folder {@code data} (also what a migration reads and writes). */
    static StoredDocument document(Path data) {
        return new FileDocument(data.resolve("mail").resolve("settings.properties"), true);
    }
}
