package org.certwatch.web.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
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
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.unavailable.Unavailable;

/** {@link Services} backed by the component's dynamic references, read as they are now. */
final class LiveServices implements Services {
    private final WebComponent component;

    LiveServices(WebComponent component) {
        this.component = component;
    }

    @Override
    public Clock clock() {
        return component.clock;
    }

    /** A clock that always reads the currently bound registry clock (a test clock may replace it). */
    Clock liveClock() {
        return new Clock() {
            @Override
            public ZoneId getZone() {
                return clock().getZone();
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return clock().withZone(zone);
            }

            @Override
            public Instant instant() {
                return clock().instant();
            }
        };
    }

    /**
     * Also refused while the audit log is gone, though the store is not: a change made then could not be audited
     * (the two go together with the PostgreSQL backend, one a moment before the other).
     */
    @Override
    public CertificateStore store() {
        CertificateStore store = component.store;
        if (store == null) {
            throw absent("the certificate store");
        }
        if (component.audit == null) {
            throw absent("the audit log");
        }
        return store;
    }

    @Override
    public AuditLog audit() {
        AuditLog audit = component.audit;
        if (audit == null) {
            throw absent("the audit log");
        }
        return audit;
    }

    /**
     * What a request that needs a service gone with its bundle (the PostgreSQL backend's removed, the store's
     * stopped) meets: the front door answers it as it answers a database that is down, 503 with Retry-After.
     */
    private static StorageUnavailableException absent(String what) {
        return new StorageUnavailableException(Unavailable.notRunning(what), null);
    }

    @Override
    public Optional<UserDirectory> users() {
        return Optional.ofNullable(component.users);
    }

    @Override
    public Optional<ComputerRegistry> computers() {
        return Optional.ofNullable(component.computers);
    }

    @Override
    public Optional<GroupDirectory> groups() {
        return Optional.ofNullable(component.groups);
    }

    @Override
    public Optional<ExpiryMonitor> monitor() {
        return Optional.ofNullable(component.monitor);
    }

    @Override
    public Optional<NotificationService> notifications() {
        return Optional.ofNullable(component.notifications);
    }

    @Override
    public Optional<RolloverService> rollovers() {
        return Optional.ofNullable(component.rollovers);
    }

    @Override
    public Optional<MailSettingsService> mailSettings() {
        return Optional.ofNullable(component.mailSettings);
    }

    @Override
    public Optional<SnmpSettingsService> snmpSettings() {
        return Optional.ofNullable(component.snmpSettings);
    }

    @Override
    public Optional<LocationRegistry> locations() {
        return Optional.ofNullable(component.locations);
    }

    @Override
    public Optional<FileWatches> fileWatches() {
        return Optional.ofNullable(component.fileWatches);
    }

    @Override
    public int agentPort() {
        return component.agentPort;
    }

    @Override
    public Optional<FleetAdministration> administration() {
        return Optional.ofNullable(component.administration);
    }

    @Override
    public Optional<ApiTokens> apiTokens() {
        return Optional.ofNullable(component.apiTokens);
    }

    @Override
    public Optional<Endpoints> endpoints() {
        return Optional.ofNullable(component.endpoints);
    }

    @Override
    public Optional<Discovery> discovery() {
        return Optional.ofNullable(component.discovery);
    }

    @Override
    public List<MetricSource> metricSources() {
        return component.metricSources;
    }
}
