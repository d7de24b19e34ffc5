package org.certwatch.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.monitor.ExpiryMonitor;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.Expiry;

/**
 * What one user may see, as the pages, the API and the metrics show it. Everything outside the
 * user's scope is filtered here, in one place; lookups of such objects answer "not found".
 * Statuses come from the monitor when it runs, else from {@link Expiry#status} with the configured
 * fallback window.
 */
final class Views {
    /** Filters of the certificate lists; null fields match everything. */
    record CertificateFilter(ExpiryStatus status, Role role, Long caId, String group) {
        static CertificateFilter none() {
            return new CertificateFilter(null, null, null, null);
        }
    }

    /** A CA or certificate with its status now. */
    record Row(CertificateInfo certificate, CaInfo ca, ExpiryStatus status, long daysLeft) {
        boolean isCa() {
            return ca != null;
        }

        long id() {
            return isCa() ? ca.id() : certificate.id();
        }

        Instant notAfter() {
            return isCa() ? ca.notAfter() : certificate.notAfter();
        }

        String subject() {
            return isCa() ? ca.subject() : certificate.subject();
        }

        String group() {
            return isCa() ? ca.homeGroup() : certificate.homeGroup();
        }

        String link() {
            return (isCa() ? "/cas/" : "/certificates/") + id();
        }
    }

    record ComputerRow(Computer computer, ComputerStatus status, String text, long certificateId, long daysLeft) {
    }

    /** One thing that needs attention, most urgent first. */
    record Attention(int rank, String kind, String text, String link, Instant at) {
    }

    record Dashboard(Map<ExpiryStatus, Integer> certificates, Map<ExpiryStatus, Integer> cas,
            Map<ComputerStatus, Integer> computers, List<Row> nextExpiries, int[] timeline, List<String> months,
            Instant evaluatedAt, Duration warningWindow) {
    }

    private final Services services;
    private final Duration fallbackWarning;
    private final ViewCache cache;

    Views(Services services, Duration fallbackWarning) {
        this.services = services;
        this.fallbackWarning = fallbackWarning;
        this.cache = new ViewCache(this::now);
    }

    Instant now() {
        return services.clock().instant();
    }

    /** Something changed: the next list or dashboard is computed afresh. */
    void invalidate() {
        cache.invalidate();
    }

    ExpiryStatus status(CertificateInfo c, Instant now) {
        Optional<ExpiryMonitor> monitor = services.monitor();
        if (monitor.isPresent()) {
            Optional<CertificateHealth> h = monitor.get().certificate(c.id());
            if (h.isPresent()) {
                return h.get().status();
            }
        }
        return Expiry.status(now, fallbackWarning, c.notBefore(), c.notAfter(), c.revoked());
    }

    ExpiryStatus status(CaInfo ca, Instant now) {
        Optional<ExpiryMonitor> monitor = services.monitor();
        if (monitor.isPresent()) {
            Optional<CertificateHealth> h = monitor.get().ca(ca.id());
            if (h.isPresent()) {
                return h.get().status();
            }
        }
        return Expiry.status(now, fallbackWarning, ca.notBefore(), ca.notAfter(), false);
    }

    Row row(CertificateInfo c, Instant now) {
        return new Row(c, null, status(c, now), Expiry.daysLeft(now, c.notAfter()));
    }

    Row row(CaInfo ca, Instant now) {
        return new Row(null, ca, status(ca, now), Expiry.daysLeft(now, ca.notAfter()));
    }

    /** The visible certificates matching the filter, by id; an unmodifiable shared list. */
    List<Row> certificates(UserScope scope, CertificateFilter filter) {
        return cache.get("certificates", scope, filter, () -> java.util.Collections.unmodifiableList(
                computeCertificates(scope, filter)));
    }

    private List<Row> computeCertificates(UserScope scope, CertificateFilter filter) {
        Instant now = now();
        CertificateQuery query = CertificateQuery.all();
        if (filter.caId() != null) {
            query = query.withCa(filter.caId());
        }
        if (filter.role() != null) {
            query = query.withRole(filter.role());
        }
        if (filter.group() != null) {
            query = query.withGroup(filter.group(), true);
        }
        List<Row> rows = new ArrayList<>();
        for (CertificateInfo c : services.store().certificates(query)) {
            if (!scope.seesCertificatesOf(c.homeGroup())) {
                continue;
            }
            Row row = row(c, now);
            if (filter.status() == null || row.status() == filter.status()) {
                rows.add(row);
            }
        }
        return rows;
    }

    Row certificate(UserScope scope, long id) {
        CertificateInfo c = services.store().certificate(id)
                .filter(info -> scope.seesCertificatesOf(info.homeGroup()))
                .orElseThrow(() -> Problem.notFound("certificate " + id));
        return row(c, now());
    }

    List<Row> cas(UserScope scope, ExpiryStatus status) {
        Instant now = now();
        List<Row> rows = new ArrayList<>();
        for (CaInfo ca : services.store().cas()) {
            if (scope.seesCertificatesOf(ca.homeGroup())) {
                Row row = row(ca, now);
                if (status == null || row.status() == status) {
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    Row ca(UserScope scope, long id) {
        CaInfo ca = services.store().ca(id).filter(info -> scope.seesCertificatesOf(info.homeGroup()))
                .orElseThrow(() -> Problem.notFound("CA " + id));
        return row(ca, now());
    }

    List<ComputerRow> computers(UserScope scope) {
        Instant now = now();
        List<ComputerRow> rows = new ArrayList<>();
        services.computers().ifPresent(registry -> {
            for (Computer c : registry.computers()) {
                if (scope.seesComputersOf(c.group())) {
                    rows.add(computerRow(c, now));
                }
            }
        });
        rows.sort(Comparator.comparing((ComputerRow r) -> r.computer().name()));
        return rows;
    }

    ComputerRow computer(UserScope scope, long id) {
        Computer c = services.computers().flatMap(registry -> registry.computer(id))
                .filter(computer -> scope.seesComputersOf(computer.group()))
                .orElseThrow(() -> Problem.notFound("computer " + id));
        return computerRow(c, now());
    }

    private ComputerRow computerRow(Computer c, Instant now) {
        Optional<ComputerHealth> health = services.monitor().flatMap(m -> m.computer(c.id()));
        if (health.isPresent()) {
            ComputerHealth h = health.get();
            return new ComputerRow(c, h.status(), h.text(), h.certificateId(), h.daysLeft());
        }
        Optional<CertificateInfo> cert = c.certificateId() == 0 ? Optional.empty()
                : services.store().certificate(c.certificateId());
        if (cert.isEmpty()) {
            return new ComputerRow(c, ComputerStatus.OK, "OK", c.certificateId(), Integer.MAX_VALUE);
        }
        ExpiryStatus s = status(cert.get(), now);
        long days = Expiry.daysLeft(now, cert.get().notAfter());
        return switch (s) {
            case EXPIRED -> new ComputerRow(c, ComputerStatus.ERROR, "certificate expired", c.certificateId(), days);
            case EXPIRING -> new ComputerRow(c, ComputerStatus.WARNING, "certificate expires soon", c.certificateId(), days);
            default -> new ComputerRow(c, ComputerStatus.OK, "OK", c.certificateId(), days);
        };
    }

    Dashboard dashboard(UserScope scope) {
        return cache.get("dashboard", scope, null, () -> computeDashboard(scope));
    }

    private Dashboard computeDashboard(UserScope scope) {
        Instant now = now();
        Map<ExpiryStatus, Integer> certCounts = zeroes();
        Map<ExpiryStatus, Integer> caCounts = zeroes();
        // the ten next expiries: a bounded max-heap over everything visible, O(n log 10)
        PriorityQueue<Row> next = new PriorityQueue<>(Comparator.comparing(Row::notAfter).reversed());
        ZonedDateTime monthStart = now.atZone(ZoneOffset.UTC).withDayOfMonth(1).toLocalDate()
                .atStartOfDay(ZoneOffset.UTC);
        Instant[] bounds = new Instant[13];
        List<String> months = new ArrayList<>();
        for (int i = 0; i <= 12; i++) {
            bounds[i] = monthStart.plusMonths(i).toInstant();
            if (i < 12) {
                months.add(monthStart.plusMonths(i).getMonth().getDisplayName(java.time.format.TextStyle.SHORT,
                        Locale.ENGLISH) + " " + monthStart.plusMonths(i).getYear());
            }
        }
        int[] timeline = new int[12];
        List<Row> all = new ArrayList<>(certificates(scope, CertificateFilter.none()));
        all.addAll(cas(scope, null));
        for (Row row : all) {
            (row.isCa() ? caCounts : certCounts).merge(row.status(), 1, Integer::sum);
            if (row.status() == ExpiryStatus.REVOKED || row.notAfter().isBefore(now) || quiet(row)) {
                continue;
            }
            next.add(row);
            if (next.size() > 10) {
                next.poll();
            }
            Instant na = row.notAfter();
            if (na.isBefore(bounds[12])) {
                for (int i = 0; i < 12; i++) {
                    if (na.isBefore(bounds[i + 1])) {
                        timeline[i]++;
                        break;
                    }
                }
            }
        }
        List<Row> nextList = new ArrayList<>(next);
        nextList.sort(Comparator.comparing(Row::notAfter));
        Map<ComputerStatus, Integer> computerCounts = new EnumMap<>(ComputerStatus.class);
        for (ComputerStatus s : ComputerStatus.values()) {
            computerCounts.put(s, 0);
        }
        for (ComputerRow c : computers(scope)) {
            computerCounts.merge(c.status(), 1, Integer::sum);
        }
        Instant evaluated = now;
        Duration warning = fallbackWarning;
        Optional<ExpiryMonitor> monitor = services.monitor();
        if (monitor.isPresent()) {
            ExpirySummary summary = monitor.get().summary(scope);
            evaluated = summary.evaluatedAt();
            warning = summary.warningWindow();
        }
        return new Dashboard(certCounts, caCounts, computerCounts, nextList, timeline, months, evaluated, warning);
    }

    /** What needs attention now: expired first, then computers in error, expiring, computers warned. */
    List<Attention> attention(UserScope scope) {
        List<Attention> items = new ArrayList<>();
        List<Row> all = new ArrayList<>(cas(scope, null));
        all.addAll(certificates(scope, CertificateFilter.none()));
        for (Row r : all) {
            if (quiet(r)) {
                continue;
            }
            String what = r.isCa() ? "CA " + r.subject() : r.certificate().role() + " certificate " + r.subject();
            if (r.status() == ExpiryStatus.EXPIRED) {
                items.add(new Attention(r.isCa() ? 0 : 1, "expired", what + " expired " + (-r.daysLeft()) + " days ago",
                        r.link(), r.notAfter()));
            } else if (r.status() == ExpiryStatus.EXPIRING) {
                items.add(new Attention(r.isCa() ? 3 : 4, "expiring", what + " expires in " + r.daysLeft() + " days",
                        r.link(), r.notAfter()));
            }
        }
        for (ComputerRow c : computers(scope)) {
            if (c.status() == ComputerStatus.ERROR || c.status() == ComputerStatus.SILENT) {
                items.add(new Attention(2, "computer", "computer " + c.computer().name() + ": " + c.text(),
                        "/computers/" + c.computer().id(), null));
            } else if (c.status() == ComputerStatus.WARNING) {
                items.add(new Attention(5, "computer", "computer " + c.computer().name() + ": " + c.text(),
                        "/computers/" + c.computer().id(), null));
            }
        }
        items.sort(Comparator.comparingInt(Attention::rank)
                .thenComparing(Attention::at, Comparator.nullsLast(Comparator.naturalOrder())));
        return items;
    }

    /**
     * A renewed or superseded certificate, or a retired monitored one: it keeps its status but never alarms, so
     * it needs no attention and is no upcoming expiry.
     */
    static boolean quiet(Row r) {
        return !r.isCa() && (r.certificate().successorId() != 0 || r.certificate().retired());
    }

    private static Map<ExpiryStatus, Integer> zeroes() {
        Map<ExpiryStatus, Integer> m = new EnumMap<>(ExpiryStatus.class);
        for (ExpiryStatus s : ExpiryStatus.values()) {
            m.put(s, 0);
        }
        return m;
    }

    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }
}
