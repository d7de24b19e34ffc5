package org.certwatch.monitor.internal;

import java.util.Optional;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.monitor.ExpirySummary;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link ExpiryMonitor}: reads of the running engine. */
@Component(service = ExpiryMonitor.class)
public final class ExpiryMonitorService implements ExpiryMonitor {
    private final MonitorEngine engine;

    @Activate
    public ExpiryMonitorService(@Reference MonitorRuntime runtime) {
        this.engine = runtime.engine();
    }

    @Override
    public ExpirySummary summary(UserScope scope) {
        return engine.summary(scope);
    }

    @Override
    public Optional<CertificateHealth> certificate(long certificateId) {
        return engine.certificate(certificateId);
    }

    @Override
    public Optional<CertificateHealth> ca(long caId) {
        return engine.ca(caId);
    }

    @Override
    public Optional<ComputerHealth> computer(long computerId) {
        return engine.computer(computerId);
    }
}
