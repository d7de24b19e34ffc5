package org.certwatch.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.audit.AuditQuery;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/** Registers the audit log of {@code $CERTWATCH_DATA/audit/audit.log}. */
@Component(service = AuditLog.class)
public final class AuditLogComponent implements AuditLog {
    private final FileAuditLog log;

    @Activate
    public AuditLogComponent(BundleContext context) throws IOException {
        log = new FileAuditLog(Path.of(context.getProperty(RuntimeProperties.DATA), "audit", "audit.log"));
    }

    @Deactivate
    void stop() throws IOException {
        log.close();
    }

    @Override
    public void append(AuditEntry entry) {
        log.append(entry);
    }

    @Override
    public void appendAll(List<AuditEntry> entries) {
        log.appendAll(entries);
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        return log.list(query);
    }
}
