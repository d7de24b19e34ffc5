package org.certwatch.mail.internal;

import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The SMTP settings as the document {@code settings} of {@code mail} in the PostgreSQL backend (the file's bytes). */
@Component(service = MailBackend.class)
public final class SharedMailBackend implements MailBackend {
    private final StoredDocument settings;

    @Activate
    public SharedMailBackend(@Reference(target = Backends.POSTGRESQL) Persistence persistence) {
        this.settings = document(persistence);
    }

    @Override
    public StoredDocument settings() {
        return settings;
    }

    /** The document in the shared backend (also what a migration reads and writes). */
    static StoredDocument document(Persistence persistence) {
        return new SharedDocument(persistence, "mail", "settings");
    }
}
