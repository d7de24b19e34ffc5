package org.certwatch.audit.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.persistence.Persistence;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * Registers the {@link AuditLog} on the backend named by {@link RuntimeProperties#BACKEND}: the file
 * {@code $CERTWATCH_DATA/audit/audit.log} by default, else the shared {@link JournalAuditLog} of that
 * backend's {@link Persistence}, and no audit log while that service is absent (so writers wait rather than
 * audit nowhere). The reference is static and greedy: the backend coming or going re-activates this
 * component, and SCR stops the consumers in between. Registered through the bundle context because it
 * depends on the backend chosen at start; the {@code osgi.service} capability says so in the manifest.
 */
@Capability(namespace = "osgi.service",
        attribute = "objectClass:List<String>=\"org.certwatch.api.audit.AuditLog\"", uses = AuditLog.class)
@Component(service = {}, immediate = true)
public final class AuditLogComponent {
    private static final Logger LOG = Logger.getLogger("org.certwatch.audit");

    private final FileAuditLog file;
    private final ServiceRegistration<AuditLog> registration;

    @Activate
    public AuditLogComponent(BundleContext context, @Reference(cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Persistence.BACKEND_PROPERTY + "=*)")
            Persistence persistence) throws IOException {
        String backend = context.getProperty(RuntimeProperties.BACKEND);
        AuditLog log;
        if (backend == null || backend.isBlank() || backend.equals(RuntimeProperties.BACKEND_FILE)) {
            file = new FileAuditLog(Path.of(context.getProperty(RuntimeProperties.DATA), "audit", "audit.log"));
            log = file;
        } else if (persistence != null && persistence.backend().equals(backend)) {
            file = null;
            log = new JournalAuditLog(persistence);
            LOG.info("audit log: journal " + JournalAuditLog.NAME + " on the " + backend + " backend");
        } else {
            file = null;
            log = null;
            LOG.info("audit log: waiting for the " + backend + " backend");
        }
        registration = log == null ? null : context.registerService(AuditLog.class, log, null);
    }

    @Deactivate
    void stop() throws IOException {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first: the framework unregistered it
            }
        }
        if (file != null) {
            file.close();
        }
    }
}
