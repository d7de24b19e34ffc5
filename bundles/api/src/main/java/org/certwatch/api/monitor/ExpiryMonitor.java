package org.certwatch.api.monitor;

import java.util.Optional;
import org.certwatch.api.fleet.UserScope;

/**
 * Evaluates every CA, certificate and computer against the registry clock and the configured windows.
 * Status changes are announced on EventAdmin ({@code org/certwatch/certificate/EXPIRING}, …,
 * {@code org/certwatch/computer/STATUS_CHANGED}).
 */
public interface ExpiryMonitor {
    ExpirySummary summary(UserScope scope);

    Optional<CertificateHealth> certificate(long certificateId);

    Optional<CertificateHealth> ca(long caId);

    Optional<ComputerHealth> computer(long computerId);
}
