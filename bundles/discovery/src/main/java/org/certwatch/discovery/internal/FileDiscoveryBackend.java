package org.certwatch.discovery.internal;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code $CERTWATCH_DATA/discovery/discovery.json}; the one instance is made by {@link FileBackendChoice}. */
@Component(factory = FileDiscoveryBackend.FACTORY, service = DiscoveryBackend.class)
public final class FileDiscoveryBackend implements DiscoveryBackend {
    static final String FACTORY = "org.certwatch.discovery.backend.file";

    private final StoredDocument book;

    @Activate
    public FileDiscoveryBackend(BundleContext context) {
        this.book = document(Path.of(context.getProperty(RuntimeProperties.DATA)));
    }

    @Override
    public StoredDocument book() {
        return book;
    }

    @Override
    public Leadership leadership() {
        return Backends.ALONE;
    }

    /** The document in the data folder {@code data} (also what a migration reads and writes). */
    static StoredDocument document(Path data) {
        return new FileDocument(data.resolve("discovery").resolve("discovery.json"), false);
    }
}
