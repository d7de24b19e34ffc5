package org.certwatch.snmp.internal;

import org.certwatch.api.persistence.Persistence;
import org.certwatch.commons.persistence.Backends;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The targets as the document {@code targets} of {@code snmp} in the PostgreSQL backend (the file's bytes). */
@Component(service = SnmpBackend.class)
public final class SharedSnmpBackend implements SnmpBackend {
    private final StoredDocument targets;

    @Activate
    public SharedSnmpBackend(@Reference(target = Backends.POSTGRESQL) Persistence persistence) {
        this.targets = new SharedDocument(persistence, "snmp", "targets");
    }

    @Override
    public StoredDocument targets() {
        return targets;
    }
}
