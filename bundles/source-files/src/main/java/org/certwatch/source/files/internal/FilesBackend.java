package org.certwatch.source.files.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * Where the watches live and whether this server reads and scans: {@link FileFilesBackend} in the
 * default file mode (always), {@link SharedFilesBackend} while a shared backend's services are present
 * (only the leader).
 */
interface FilesBackend {
    StoredDocument watches();

    Leadership leadership();
}
