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
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.FileWatches;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.store.CertificateStore;

/** {@link Services} backed by the component's references: the static ones given, the dynamic ones read as they are now. */
final class LiveServices implements Services {
    private final WebComponent component;
    private final CertificateStore store;
    private final AuditLog audit;

    LiveServices(WebComponent component, CertificateStore store, AuditLog audit) {
        this.component = component;
        this.store = store;
        this.audit = audit;
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

    @Override
    public CertificateStore store() {
        return store;
    }

    @Override
    public AuditLog audit() {
        return audit;
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
