package org.certwatch.discovery.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The ranges and candidates as the document {@code book} of {@code discovery} in the PostgreSQL backend. */
@Component(service = DiscoveryBackend.class)
public final class SharedDiscoveryBackend implements DiscoveryBackend {
    private final StoredDocument book;
    private final Leadership leadership;

    @Activate
    public SharedDiscoveryBackend(@Reference(target = Backends.POSTGRESQL) Persistence persistence,
            @Reference(target = Backends.POSTGRESQL) Leadership leadership) {
        this.book = document(persistence);
        this.leadership = leadership;
    }

    @Override
    public StoredDocument book() {
        return book;
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    /** The document in the shared backend (also what a migration reads and writes). */
    static StoredDocument document(Persistence persistence) {
        return new SharedDocument(persistence, "discovery", "book");
    }
}
