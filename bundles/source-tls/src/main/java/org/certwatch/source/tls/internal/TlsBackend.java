package org.certwatch.source.tls.internal;

import org.certwatch.api.persistence.Leadership;
import org.certwatch.commons.persistence.StoredDocument;

/**
 * Where the endpoints live and whether this server probes them: {@link FileTlsBackend} in the
 * default file mode (always), {@link SharedTlsBackend} while a shared backend's services are present
 * (only the leader).
 */
interface TlsBackend {
    StoredDocument endpoints();

    Leadership leadership();
}
