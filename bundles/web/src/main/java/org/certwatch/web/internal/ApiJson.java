package org.certwatch.web.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.DiscoveryRange;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.OpenSslText;
import org.certwatch.api.store.SubjectAltName;

/**
 * The API's JSON shapes. Jackson writes a record's components in declaration order, so the order
 * here is the order on the wire (clients and the golden answers rely on it).
 */
final class ApiJson {
    private ApiJson() {
    }

    /** GET session: who is logged in, and the CSRF token when by session cookie. */
    record Session(String user, String homeGroup, List<String> permissions, String csrf) {
        static Session of(UserScope scope, Sessions.Session session) {
            return new Session(scope.user(), scope.homeGroup(), names(scope.permissions()),
                    session == null ? null : session.csrf());
        }
    }

    record Attention(int rank, String kind, String text, String link, String at) {
        static Attention of(Views.Attention a) {
            return new Attention(a.rank(), a.kind(), a.text(), a.link(), iso(a.at()));
        }
    }

    record UserJson(String name, String homeGroup, List<String> permissions, boolean enabled, String createdAt) {
        static UserJson of(User u) {
            return new UserJson(u.name(), u.homeGroup(), names(u.permissions()), u.enabled(), iso(u.createdAt()));
        }
    }

    record Audit(String at, String actor, String action, String target, String outcome, String from) {
        static Audit of(AuditEntry e) {
            return new Audit(e.at().toString(), e.actor(), e.action(), e.target(), e.outcome(), e.from());
        }
    }

    /** GET status: the dashboard's figures. */
    record Status(String evaluatedAt, long warningWindowDays, Map<ExpiryStatus, Integer> certificates,
            Map<ExpiryStatus, Integer> cas, Map<ComputerStatus, Integer> computers, List<NextExpiry> nextExpiries,
            List<Month> timeline) {
        static Status of(Views.Dashboard d) {
            List<Month> timeline = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                timeline.add(new Month(d.months().get(i), d.timeline()[i]));
            }
            return new Status(iso(d.evaluatedAt()), d.warningWindow().toDays(), d.certificates(), d.cas(),
                    d.computers(), d.nextExpiries().stream().map(NextExpiry::of).toList(), timeline);
        }
    }

    record NextExpiry(String kind, long id, String subject, String notAfter, long daysLeft, String status) {
        static NextExpiry of(Views.Row r) {
            return new NextExpiry(r.isCa() ? "ca" : "certificate", r.id(), r.subject(), r.notAfter().toString(),
                    r.daysLeft(), r.status().name());
        }
    }

    record Month(String month, int expiring) {
    }

    /** A CA with its status now (ISO-8601 times, serial as openssl prints it). */
    record Ca(long id, String subject, String serial, String notBefore, String notAfter, String fingerprint,
            String keyAlgorithm, int keySize, String caStatus, boolean hasKey, boolean imported, String homeGroup,
            String description, String createdAt, String deletedAt, String status, long daysLeft) {
    }

    /** A certificate with its status now (ISO-8601 times, serial as openssl prints it). */
    record Certificate(long id, String role, String host, List<String> alternativeNames,
            List<SubjectAltName> subjectAltNames, long caId, String issuer, String subject, String serial,
            String notBefore, String notAfter, String fingerprint, String keyAlgorithm, int keySize, boolean hasKey,
            String homeGroup, String description, String createdAt, String revokedAt, String revocationReason,
            long predecessorId, long successorId, String status, long daysLeft, String retiredAt) {
    }

    /** An upload's answer: what it stored, and what of the file the store had (ids the caller cannot see are 0). */
    record ImportAnswer(List<Certificate> imported, List<AlreadyPresent> alreadyPresent) {
    }

    record AlreadyPresent(String subject, String fingerprint, long certificateId, long caId) {
    }

    /** A location as listed; {@code findings} from its last successful check, {@code probe} for endpoints. */
    record LocationJson(long id, String source, String kind, String address, String homeGroup, String state,
            String failure, String reason, int consecutiveFailures, long certificateId, List<Long> chainIds,
            String firstSeen, String lastCheck, String lastChange, List<FindingJson> findings, ProbeJson probe) {
        static LocationJson of(Location l) {
            return new LocationJson(l.id(), l.ref().source(), l.ref().kind().name(), l.ref().address(),
                    l.ref().homeGroup(), l.state().name(), l.failure() == null ? null : l.failure().name(), l.reason(),
                    l.consecutiveFailures(), l.certificateId(), l.chainIds(), iso(l.firstSeen()), iso(l.lastCheck()),
                    iso(l.lastChange()), l.findings().stream().map(FindingJson::of).toList(), ProbeJson.of(l.probe()));
        }
    }

    /** One finding: its kind, the certificate of the chain it is about (0 the leaf, -1 the location) and its words. */
    record FindingJson(String kind, int certificateIndex, String text) {
        static FindingJson of(Finding f) {
            return new FindingJson(f.kind().name(), f.certificateIndex(), f.text());
        }
    }

    /** How an endpoint's last successful handshake went; null for files. */
    record ProbeJson(String protocol, String cipherSuite, double durationSeconds, String peerAddress,
            boolean ocspStapled) {
        static ProbeJson of(EndpointProbe p) {
            return p == null ? null : new ProbeJson(p.protocol(), p.cipherSuite(), p.duration().toNanos() / 1e9,
                    p.peerAddress(), p.ocspStapled());
        }
    }

    /** A TLS endpoint; {@code interval} null: the source's default. {@code location} is its last check, if any. */
    record EndpointJson(String id, String host, int port, String sniName, String protocol, String address,
            String homeGroup, String interval, String extraCaPem, boolean checkCrl, String description,
            String createdAt, LocationJson location) {
        static EndpointJson of(Endpoint e, Location l) {
            return new EndpointJson(e.id(), e.host(), e.port(), e.sniName(), e.protocol().name(), e.address(),
                    e.homeGroup(), e.interval() == null ? null : e.interval().toString(), e.extraCaPem(), e.checkCrl(),
                    e.description(), iso(e.createdAt()), l == null ? null : LocationJson.of(l));
        }
    }

    /** A discovery range; {@code every} null: scanned only when run. */
    record RangeJson(String id, String addresses, List<Integer> ports, String homeGroup, String every,
            boolean addFound, String description, String createdAt, String lastRun, boolean running) {
        static RangeJson of(DiscoveryRange r, boolean running) {
            return new RangeJson(r.id(), r.addresses(), r.ports(), r.homeGroup(),
                    r.every() == null ? null : r.every().toString(), r.addFound(), r.description(), iso(r.createdAt()),
                    iso(r.lastRun()), running);
        }
    }

    /** A TLS endpoint a scan found, waiting for approval. */
    record CandidateJson(String rangeId, String host, int port, String subject, String notAfter, String foundAt) {
        static CandidateJson of(DiscoveredEndpoint c) {
            return new CandidateJson(c.rangeId(), c.host(), c.port(), c.subject(), iso(c.notAfter()), iso(c.foundAt()));
        }
    }

    /** One location with its certificate and chain as the caller may see them, and its history, newest first. */
    record LocationDetail(LocationJson location, Certificate certificate, List<Certificate> chain,
            List<History> history) {
    }

    record History(long certificateId, String fingerprint, String from, String until) {
        static History of(LocationHistoryEntry h) {
            return new History(h.certificateId(), h.fingerprint(), iso(h.from()), iso(h.until()));
        }
    }

    /** A watched path of the files source; its password is never sent back, only whether one is stored. */
    record FileWatchJson(String id, String pattern, boolean recursive, String homeGroup, boolean hasPassword,
            String description, String createdAt) {
        static FileWatchJson of(FileWatch w) {
            return new FileWatchJson(w.id(), w.pattern(), w.recursive(), w.homeGroup(), w.hasPassword(),
                    w.description(), iso(w.createdAt()));
        }
    }

    /** A computer with its status now; daysLeft is null while it has no certificate. */
    record ComputerJson(long id, String name, String group, String hostName, String agentVersion, long certificateId,
            String lastCertificateFingerprint, String firstSeen, String lastReplication, int replicationsSincePolicy,
            String status, String statusText, Long daysLeft,
            @JsonInclude(JsonInclude.Include.NON_NULL) PolicyAdmin.AppliedPolicy policy) {
    }

    /** A CA or certificate row as JSON: a {@link Ca} or a {@link Certificate}. */
    static Record of(Views.Row r) {
        return r.isCa() ? ca(r) : certificate(r);
    }

    static Ca ca(Views.Row r) {
        CaInfo ca = r.ca();
        return new Ca(ca.id(), ca.subject(), OpenSslText.serial(ca.serial()), ca.notBefore().toString(),
                ca.notAfter().toString(), ca.fingerprint(), ca.keyAlgorithm(), ca.keySize(), ca.status().name(),
                ca.hasKey(), ca.imported(), ca.homeGroup(), ca.description(), iso(ca.createdAt()),
                iso(ca.deletedAt()), r.status().name(), r.daysLeft());
    }

    static Certificate certificate(Views.Row r) {
        CertificateInfo c = r.certificate();
        return new Certificate(c.id(), c.role().name(), c.host(), c.alternativeNames(), c.subjectAltNames(), c.caId(),
                c.issuer(), c.subject(), OpenSslText.serial(c.serial()), c.notBefore().toString(),
                c.notAfter().toString(), c.fingerprint(), c.keyAlgorithm(), c.keySize(), c.hasKey(), c.homeGroup(),
                c.description(), iso(c.createdAt()), iso(c.revokedAt()),
                c.revocationReason() == null ? null : c.revocationReason().name(), c.predecessorId(), c.successorId(),
                r.status().name(), r.daysLeft(), iso(c.retiredAt()));
    }

    static ComputerJson of(Views.ComputerRow r) {
        Computer c = r.computer();
        return new ComputerJson(c.id(), c.name(), c.group(), c.hostName(), c.agentVersion(), c.certificateId(),
                c.lastCertificateFingerprint(), iso(c.firstSeen()), iso(c.lastReplication()),
                c.replicationsSincePolicy(), r.status().name(), r.text(),
                r.daysLeft() == Integer.MAX_VALUE ? null : r.daysLeft(), null);
    }

    /** One computer's resource: the list's fields and the policy that applies to it (absent when none does). */
    static ComputerJson of(Views.ComputerRow r, PolicyAdmin.AppliedPolicy policy) {
        ComputerJson c = of(r);
        return new ComputerJson(c.id(), c.name(), c.group(), c.hostName(), c.agentVersion(), c.certificateId(),
                c.lastCertificateFingerprint(), c.firstSeen(), c.lastReplication(), c.replicationsSincePolicy(), c.status(),
                c.statusText(), c.daysLeft(), policy);
    }

    /** A record's components by name, in order: the detail pages list the same fields the API sends. */
    static Map<String, Object> fields(Record value) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : value.getClass().getRecordComponents()) {
            try {
                m.put(c.getName(), c.getAccessor().invoke(value));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName(), e);
            }
        }
        return m;
    }

    /** Milliseconds, as the audit's: a clock's nanoseconds say nothing to a reader and vary in length. */
    static String iso(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private static List<String> names(java.util.Set<? extends Enum<?>> permissions) {
        return permissions.stream().map(Enum::name).sorted().toList();
    }
}
