package org.certwatch.discovery.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * Where the ranges and candidates live and whether this server runs the scheduled scans: {@link FileDiscoveryBackend} in the
 * default file mode (always), {@link SharedDiscoveryBackend} while a shared backend's services are present
 * (only the leader).
 */
interface DiscoveryBackend {
    StoredDocument book();

    Leadership leadership();
}
