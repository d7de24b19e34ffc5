package org.certwatch.snmp.internal;

import org.certwatch.commons.persistence.StoredDocument;

/**
 * Where the notification targets set at run time live: {@link FileSnmpBackend} in the default file
 * mode, {@link SharedSnmpBackend} while a shared backend's {@code Persistence} is present. The engine
 * ID, boots and USM users stay per server, in the data folder, whatever the backend.
 */
interface SnmpBackend {
    StoredDocument targets();
}
