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
import org.certwatch.api.fleet.ApiTokens;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;

/**
 * The services the web bundle uses, as they are right now. Every one comes and goes with its bundle (the
 * store and the audit log with the backend they keep their state in), so every request asks again instead of
 * holding on to one. The store and the audit log, which nearly every request needs, throw a
 * {@code StorageUnavailableException} while absent (answered 503 like a database that is down); the others are
 * optional, and pages degrade without them.
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

    /** The fleet's changes (users, groups, enrolment tokens), absent while the fleet bundle is not running. */
    default Optional<FleetAdministration> administration() {
        return Optional.empty();
    }

    /** The port agents reach the server on ({@code certwatch.agent.port}), for the enrolment command. */
    default int agentPort() {
        return 2222;
    }

    /** The fleet's API tokens, absent while the fleet bundle is not running. */
    default Optional<ApiTokens> apiTokens() {
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
