package org.certwatch.source.files.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The watches as the document {@code watches} of {@code files} in the PostgreSQL backend (the file's bytes). */
@Component(service = FilesBackend.class)
public final class SharedFilesBackend implements FilesBackend {
    private final StoredDocument watches;
    private final Leadership leadership;

    @Activate
    public SharedFilesBackend(@Reference(target = Backends.POSTGRESQL) Persistence persistence,
            @Reference(target = Backends.POSTGRESQL) Leadership leadership) {
        this.watches = document(persistence);
        this.leadership = leadership;
    }

    @Override
    public StoredDocument watches() {
        return watches;
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    /** The document in the shared backend (also what a migration reads and writes). */
    static StoredDocument document(Persistence persistence) {
        return new SharedDocument(persistence, "files", "watches");
    }
}
