package org.certwatch.source.tls.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The endpoints as the document {@code endpoints} of {@code tls} in the PostgreSQL backend (the file's bytes). */
@Component(service = TlsBackend.class)
public final class SharedTlsBackend implements TlsBackend {
    private final StoredDocument endpoints;
    private final Leadership leadership;

    @Activate
    public SharedTlsBackend(@Reference(target = Backends.POSTGRESQL) Persistence persistence,
            @Reference(target = Backends.POSTGRESQL) Leadership leadership) {
        this.endpoints = document(persistence);
        this.leadership = leadership;
    }

    @Override
    public StoredDocument endpoints() {
        return endpoints;
    }

    @Override
    public Leadership leadership() {
        return leadership;
    }

    /** The document in the shared backend (also what a migration reads and writes). */
    static StoredDocument document(Persistence persistence) {
        return new SharedDocument(persistence, "tls", "endpoints");
    }
}
