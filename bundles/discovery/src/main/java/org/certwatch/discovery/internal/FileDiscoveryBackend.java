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
        this.book = new FileDocument(Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("discovery")
                .resolve("discovery.json"), false);
    }

    @Override
    public StoredDocument book() {
        return book;
    }

    @Override
    public Leadership leadership() {
        return Backends.ALONE;
    }
}
