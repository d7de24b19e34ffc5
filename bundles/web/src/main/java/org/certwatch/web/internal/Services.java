package org.certwatch.web.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.metrics.MetricSource;
import org.certwatch.api.notify.MailSettingsService;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.snmp.SnmpSettingsService;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;

/**
 * The services the web bundle uses, as they are right now. The store and the audit log are required
 * (the component only runs with them); the fleet (and its rollovers), monitor, mail and SNMP services come and go with their bundles,
 * so every request asks again instead of holding on to one.
 */
interface Services {
    Clock clock();

    CertificateStore store();

    AuditLog audit();

    Optional<UserDirectory> users();

    Optional<ComputerRegistry> computers();

    Optional<GroupDirectory> groups();

    Optional<ExpiryMonitor> monitor();

    default Optional<NotificationService> notifications() {
        return Optional.empty();
    }

    default Optional<RolloverService> rollovers() {
        return Optional.empty();
    }

    default Optional<MailSettingsService> mailSettings() {
        return Optional.empty();
    }

    default Optional<SnmpSettingsService> snmpSettings() {
        return Optional.empty();
    }

    /** The location registry (core), absent while it is not running. */
    default Optional<LocationRegistry> locations() {
        return Optional.empty();
    }

    /** The files source's watched paths, absent while the {@code files} feature is not deployed. */
    default Optional<FileWatches> fileWatches() {
        return Optional.empty();
    }

    /** The TLS probe source's endpoints, absent while the {@code tls-probe} feature is not deployed. */
    default Optional<Endpoints> endpoints() {
        return Optional.empty();
    }

    /** Discovery of TLS endpoints by address range, absent while the {@code tls-probe} feature is not deployed. */
    default Optional<Discovery> discovery() {
        return Optional.empty();
    }

    /** The registered metric sources (whiteboard), in registration order. */
    default List<MetricSource> metricSources() {
        return List.of();
    }
}
