package org.certwatch.source.tls.internal;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code $CERTWATCH_DATA/tls/endpoints.json}; the one instance is made by {@link FileBackendChoice}. */
@Component(factory = FileTlsBackend.FACTORY, service = TlsBackend.class)
public final class FileTlsBackend implements TlsBackend {
    static final String FACTORY = "org.certwatch.source.tls.backend.file";

    private final StoredDocument endpoints;

    @Activate
    public FileTlsBackend(BundleContext context) {
        this.endpoints = document(Path.of(context.getProperty(RuntimeProperties.DATA)));
    }

    @Override
    public StoredDocument endpoints() {
        return endpoints;
    }

    @Override
    public Leadership leadership() {
        return Backends.ALONE;
    }

    /** The document in the data folder {@code data} (also what a migration reads and writes). */
    static StoredDocument document(Path data) {
        return new FileDocument(data.resolve("tls").resolve("endpoints.json"), true);
    }
}
