package org.certwatch.source.files.internal;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code $CERTWATCH_DATA/files/watches.json}; the one instance is made by {@link FileBackendChoice}. */
@Component(factory = FileFilesBackend.FACTORY, service = FilesBackend.class)
public final class FileFilesBackend implements FilesBackend {
    static final String FACTORY = "org.certwatch.source.files.backend.file";

    private final StoredDocument watches;

    @Activate
    public FileFilesBackend(BundleContext context) {
        this.watches = document(Path.of(context.getProperty(RuntimeProperties.DATA)));
    }

    @Override
    public StoredDocument watches() {
        return watches;
    }

    @Override
    public Leadership leadership() {
        return Backends.ALONE;
    }

    /** The document in the data folder {@code data} (also what a migration reads and writes). */
    static StoredDocument document(Path data) {
        return new FileDocument(data.resolve("files").resolve("watches.json"), true);
    }
}
