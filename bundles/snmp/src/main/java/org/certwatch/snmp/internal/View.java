package org.certwatch.snmp.internal;

import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.source.Location;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.Expiry;

/**
 * One request's consistent view: fixed snapshots of the rows and one "now". Statuses come from the
 * monitor when it is deployed, else from {@link Expiry#status} with the default window.
 */
final class View {
    final String group;
    final Instant now;
    final ExpiryMonitor monitor;
    final LiveIndex.Snapshot<CaInfo> cas;
    final LiveIndex.Snapshot<CertificateInfo> certificates;
    final LiveIndex.Snapshot<Computer> computers;
    final LiveIndex.Snapshot<Location> locations;
    /** All certificates (unfiltered): a computer's certificate may live in another group. */
    private final LiveIndex.Snapshot<CertificateInfo> allCertificates;
    private ExpirySummary summary;

    View(String group, Instant now, ExpiryMonitor monitor, LiveIndex.Snapshot<CaInfo> cas,
            LiveIndex.Snapshot<CertificateInfo> certificates, LiveIndex.Snapshot<Computer> computers,
            LiveIndex.Snapshot<Location> locations, LiveIndex.Snapshot<CertificateInfo> allCertificates) {
        this.group = group;
        this.now = now;
        this.monitor = monitor;
        this.cas = cas;
        this.certificates = certificates;
        this.computers = computers;
        this.locations = locations;
        this.allCertificates = allCertificates;
    }

    /** Days left at this view's "now", by {@link Expiry#daysLeft}. */
    long daysLeft(Instant notAfter) {
        return Expiry.daysLeft(now, notAfter);
    }

    ExpiryStatus status(CertificateInfo c) {
        if (monitor != null) {
            Optional<CertificateHealth> health = safe(() -> monitor.certificate(c.id()));
            if (health.isPresent()) {
                return health.get().status();
            }
        }
        return c.expiryStatus(now, MibModel.DEFAULT_WARNING);
    }

    ExpiryStatus status(CaInfo ca) {
        if (monitor != null) {
            Optional<CertificateHealth> health = safe(() -> monitor.ca(ca.id()));
            if (health.isPresent()) {
                return health.get().status();
            }
        }
        return Expiry.status(now, MibModel.DEFAULT_WARNING, ca.notBefore(), ca.notAfter(), ca.deletedAt() != null);
    }

    CertificateInfo certificate(long id) {
        return allCertificates.byId(id);
    }

    /** The computer's health from the monitor, or derived from its certificate. */
    ComputerHealth health(Computer computer) {
        if (monitor != null) {
            Optional<ComputerHealth> health = safe(() -> monitor.computer(computer.id()));
            if (health.isPresent()) {
                return health.get();
            }
        }
        CertificateInfo c = computer.certificateId() == 0 ? null : certificate(computer.certificateId());
        if (c == null) {
            return new ComputerHealth(computer.id(), ComputerStatus.OK, computer.certificateId(), null,
                    Integer.MAX_VALUE, "OK");
        }
        ExpiryStatus s = status(c);
        ComputerStatus state = switch (s) {
            case EXPIRING -> ComputerStatus.WARNING;
            case EXPIRED, REVOKED -> ComputerStatus.ERROR;
            default -> ComputerStatus.OK;
        };
        String text = switch (state) {
            case WARNING -> "certificate expires soon";
            case ERROR -> s == ExpiryStatus.REVOKED ? "certificate revoked" : "certificate expired";
            default -> "OK";
        };
        return new ComputerHealth(computer.id(), state, c.id(), s, daysLeft(c.notAfter()), text);
    }

    /** The summary scalars: the monitor's for this scope, else counted over this view (once per request). */
    ExpirySummary summary() {
        if (summary == null) {
            summary = computeSummary();
        }
        return summary;
    }

    private ExpirySummary computeSummary() {
        if (monitor != null) {
            UserScope scope = group == null ? UserScope.system()
                    : new UserScope("snmp", group, EnumSet.allOf(Permission.class));
            ExpirySummary fromMonitor = safe(() -> Optional.ofNullable(monitor.summary(scope))).orElse(null);
            if (fromMonitor != null) {
                return fromMonitor;
            }
        }
        Map<ExpiryStatus, Integer> caCounts = new EnumMap<>(ExpiryStatus.class);
        Map<ExpiryStatus, Integer> certCounts = new EnumMap<>(ExpiryStatus.class);
        Map<ComputerStatus, Integer> computerCounts = new EnumMap<>(ComputerStatus.class);
        Instant next = null;
        boolean nextCa = false;
        long nextId = 0;
        for (CaInfo ca : cas.rows()) {
            ExpiryStatus s = status(ca);
            caCounts.merge(s, 1, Integer::sum);
            if (s != ExpiryStatus.REVOKED && (next == null || ca.notAfter().isBefore(next))) {
                next = ca.notAfter();
                nextCa = true;
                nextId = ca.id();
            }
        }
        for (CertificateInfo c : certificates.rows()) {
            ExpiryStatus s = status(c);
            certCounts.merge(s, 1, Integer::sum);
            if (s != ExpiryStatus.REVOKED && (next == null || c.notAfter().isBefore(next))) {
                next = c.notAfter();
                nextCa = false;
                nextId = c.id();
            }
        }
        for (Computer computer : computers.rows()) {
            computerCounts.merge(health(computer).status(), 1, Integer::sum);
        }
        ExpirySummary.NextExpiry nextExpiry = next == null ? null
                : new ExpirySummary.NextExpiry(nextCa, nextId, next, daysLeft(next));
        // without a monitor the agent evaluates on request: the evaluation time is now
        return new ExpirySummary(now, MibModel.DEFAULT_WARNING, MibModel.DEFAULT_CRITICAL, caCounts, certCounts,
                computerCounts, nextExpiry);
    }

    /** A monitor that is being undeployed may throw; the agent then falls back to its own rule. */
    private static <T> Optional<T> safe(java.util.function.Supplier<Optional<T>> call) {
        try {
            Optional<T> result = call.get();
            return result == null ? Optional.empty() : result;
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
