package org.certwatch.snmp.internal;

import java.nio.file.Path;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/** {@code $CERTWATCH_DATA/snmp/targets}; the one instance is made by {@link FileBackendChoice}. */
@Component(factory = FileSnmpBackend.FACTORY, service = SnmpBackend.class)
public final class FileSnmpBackend implements SnmpBackend {
    static final String FACTORY = "org.certwatch.snmp.backend.file";

    private final StoredDocument targets;

    @Activate
    public FileSnmpBackend(BundleContext context) {
        this.targets = new FileDocument(Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("snmp/targets"),
                true);
    }

    @Override
    public StoredDocument targets() {
        return targets;
    }
}
