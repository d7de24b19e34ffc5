package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.Expiry;

/**
 * The enabled notification definitions and the notices their thresholds produce for CAs and
 * certificates: each threshold once per object, the most severe one crossed, none for revoked or
 * replaced certificates; plus the once-per-CA rollover suggestion.
 */
final class ThresholdNotices {
    static final int NONE = Integer.MAX_VALUE;

    private final Schedule schedule;
    private final GroupNames groups;
    private final StatusRules rules;
    private final RolloverAdvisor advisor;
    private final Inventory inventory;
    private final Clock clock;
    private final NoticeBatch batch;
    private List<NotificationDefinition> active = List.of();
    private long[] offsets = new long[0];

    ThresholdNotices(Schedule schedule, GroupNames groups, StatusRules rules, RolloverAdvisor advisor,
            Inventory inventory, Clock clock, NoticeBatch batch) {
        this.schedule = schedule;
        this.groups = groups;
        this.rules = rules;
        this.advisor = advisor;
        this.inventory = inventory;
        this.clock = clock;
        this.batch = batch;
    }

    void define(List<NotificationDefinition> definitions) {
        List<NotificationDefinition> enabled = new ArrayList<>();
        TreeSet<Long> o = new TreeSet<>();
        o.add(rules.warning);
        o.add(rules.critical);
        o.add(0L);
        for (NotificationDefinition d : definitions) {
            if (!d.enabled()) {
                continue;
            }
            enabled.add(d);
            if (d.scope() != NotificationScope.COMPUTERS && d.scope() != NotificationScope.LOCATIONS) {
                for (int t : d.thresholds()) {
                    o.add(t * StatusRules.DAY);
                }
            }
        }
        active = List.copyOf(enabled);
        offsets = o.descendingSet().stream().mapToLong(Long::longValue).toArray();
    }

    /** The enabled definitions. */
    List<NotificationDefinition> active() {
        return active;
    }

    /** Seconds before notAfter at which something changes (windows and thresholds), descending. */
    long[] offsets() {
        return offsets;
    }

    /** The most severe threshold crossed: -1 once expired, else the smallest threshold reached, else NONE. */
    static int crossed(List<Integer> thresholdsDescending, long notAfter, long now) {
        if (now >= notAfter) {
            return -1;
        }
        int result = NONE;
        for (int t : thresholdsDescending) {
            if (now >= notAfter - t * StatusRules.DAY) {
                result = t;
            }
        }
        return result;
    }

    private boolean covers(NotificationDefinition d, int s, long id, boolean ca, long serverCertificateId) {
        boolean scope = switch (d.scope()) {
            case SERVER_CERTIFICATE -> !ca && id == serverCertificateId;
            case CAS -> ca;
            case PEER_CERTIFICATES -> !ca && (d.role() == null || d.role().ordinal() == schedule.role[s]);
            case MONITORED_CERTIFICATES -> !ca && schedule.role[s] == Role.MONITORED.ordinal();
            case COMPUTERS, LOCATIONS -> false;
        };
        return scope && GroupPaths.contains(d.ownerGroup(), groups.name(schedule.group[s]));
    }

    void check(int s, long id, boolean ca, ExpiryStatus st, long now, long serverCertificateId) {
        if (active.isEmpty() || st == ExpiryStatus.REVOKED || rules.replaced(s)) {
            return; // noise control: nobody needs to hear about a revoked or replaced certificate
        }
        for (NotificationDefinition d : active) {
            if (!covers(d, s, id, ca, serverCertificateId)) {
                continue;
            }
            if (ca && d.scope() == NotificationScope.CAS) {
                suggestRollover(d, s, id, now);
            }
            int crossed = crossed(d.thresholds(), schedule.notAfter[s], now);
            if (crossed == NONE) {
                continue;
            }
            long key = schedule.key[s];
            Integer prior = batch.notified(d.id(), key);
            if (prior != null && prior <= crossed) {
                continue;
            }
            Notice n = notice(d, id, ca, crossed);
            if (n != null) {
                batch.record(d.id(), key, crossed, n);
            }
        }
    }

    /** Once per CA and notification: its rollover is due (see {@link RolloverAdvisor}). */
    private void suggestRollover(NotificationDefinition d, int s, long id, long now) {
        long na = schedule.notAfter[s];
        String key = d.id() + RolloverAdvisor.SUFFIX;
        if (now < advisor.suggestAt(id, na) || now >= na || batch.notified(key, schedule.key[s]) != null) {
            return;
        }
        inventory.ca(id).ifPresent(c -> {
            Instant created = clock.instant();
            batch.record(key, schedule.key[s], 0,
                    advisor.notice(d, c, Expiry.daysLeft(created, c.notAfter()), created));
        });
    }

    private Notice notice(NotificationDefinition d, long id, boolean ca, int crossed) {
        Instant created = clock.instant();
        String suffix = crossed < 0 ? "expired" : "d" + crossed;
        String noticeId = d.id() + "." + (ca ? "ca" : "cert") + id + "." + suffix;
        if (ca) {
            CaInfo c = inventory.ca(id).orElse(null);
            if (c == null) {
                return null;
            }
            long days = Expiry.daysLeft(created, c.notAfter());
            String text = "CA " + c.subject() + (crossed < 0 ? " expired " + when(days) : " expires in " + days
                    + " days");
            return new Notice(noticeId, crossed < 0 ? NoticeKind.CA_EXPIRED : NoticeKind.CA_EXPIRING, created,
                    d.name(), id, hex(c.serial()), c.subject(), c.subject(), null, "", c.fingerprint(), c.notAfter(),
                    days, crossed, c.homeGroup(), text, "/cas/" + id, d.emailRecipients(), d.snmp(), 0, 0, "", "");
        }
        CertificateInfo c = inventory.certificate(id).orElse(null);
        if (c == null) {
            return null;
        }
        long days = Expiry.daysLeft(created, c.notAfter());
        String text = c.role() + " certificate " + c.subject() + (crossed < 0 ? " expired " + when(days)
                : " expires in " + days + " days");
        return new Notice(noticeId, crossed < 0 ? NoticeKind.CERTIFICATE_EXPIRED : NoticeKind.CERTIFICATE_EXPIRING,
                created, d.name(), id, hex(c.serial()), c.subject(), c.issuer(), c.role(), c.host(), c.fingerprint(),
                c.notAfter(), days, crossed, c.homeGroup(), text, "/certificates/" + id, d.emailRecipients(), d.snmp(),
                0, 0, "", "");
    }

    private static String when(long daysLeft) {
        long ago = -daysLeft;
        return ago <= 1 ? "today" : ago + " days ago";
    }

    private static String hex(java.math.BigInteger serial) {
        return org.certwatch.api.store.OpenSslText.serial(serial);
    }
}
