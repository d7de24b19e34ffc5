package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;

/**
 * Expiry evaluation driven by a {@link Schedule}: every CA and certificate sits in a min-heap keyed
 * by the instant of its next status change (notBefore, notAfter minus the warning window, the
 * critical window, every notification threshold, notAfter). {@link #runDue()} evaluates exactly the
 * entries whose instant has come; a store event costs one O(log n) heap update. Thread-safe by
 * monitor lock; the owning component calls it from its one scheduler thread and API readers.
 */
final class MonitorEngine {
    static final long DAY = 86_400L;
    private static final int NONE = Integer.MAX_VALUE;
    private static final int CRITICAL = 8;

    private final Inventory inventory;
    private final Clock clock;
    private final Events events;
    private final Outbox outbox;
    private final long warning;
    private final RolloverAdvisor advisor;
    private final long critical;
    private final Schedule schedule;
    private final LongIntMap hostBest = new LongIntMap(1024);
    private final List<String> groups = new ArrayList<>();
    private final Map<String, Integer> groupIndex = new HashMap<>();
    private final Map<Long, ComputerEntry> computers = new HashMap<>();
    private final Map<Long, Set<Long>> computersByCertificate = new HashMap<>();
    private List<NotificationDefinition> active = List.of();
    private long[] offsets = new long[0];
    private long serverCertificateId;
    private long lastNow = Long.MIN_VALUE;
    private Instant evaluatedAt;
    // the batch being built; committed to the outbox (one fsync) at the end of each operation
    private final List<Notice> batchNotices = new ArrayList<>();
    private final List<Outbox.StateRecord> batchStates = new ArrayList<>();
    private final Map<String, Integer> batchOverlay = new HashMap<>();

    private static final class ComputerEntry {
        final long id;
        String name;
        String group;
        long certificateId;
        ComputerStatus status = ComputerStatus.OK;

        ComputerEntry(long id) {
            this.id = id;
        }
    }

    MonitorEngine(Inventory inventory, Clock clock, Events events, Outbox outbox, Duration warning,
            Duration critical, int expected) {
        this.inventory = inventory;
        this.clock = clock;
        this.events = events;
        this.outbox = outbox;
        this.warning = warning.toSeconds();
        this.critical = Math.min(critical.toSeconds(), warning.toSeconds());
        this.advisor = new RolloverAdvisor(this.warning);
        this.schedule = new Schedule(expected);
    }

    // ---------------------------------------------------------------- loading and changes

    /** Loads everything from the store, evaluates it and catches up on thresholds crossed while down. */
    synchronized void load(List<NotificationDefinition> definitions) {
        setDefinitions(definitions);
        serverCertificateId = inventory.serverCertificateId();
        long now = now();
        for (CaInfo ca : inventory.cas()) {
            if (ca.status() != CaStatus.DELETED) {
                fill(ca);
            }
        }
        List<CertificateInfo> certificates = inventory.certificates();
        for (CertificateInfo c : certificates) {
            fill(c);
        }
        for (CertificateInfo c : certificates) {
            markReplacedOnLoad(c);
        }
        evaluateAll(now, false);
        commit();
    }

    synchronized void definitionsChanged(List<NotificationDefinition> definitions) {
        setDefinitions(definitions);
        evaluateAll(now(), true);
        commit();
    }

    synchronized void certificateChanged(long id) {
        long now = now();
        inventory.certificate(id).ifPresent(c -> {
            if (advisor.seen(c)) {
                // a longer-lived certificate moves its CA's rollover suggestion earlier
                int cs = schedule.slot(Schedule.key(c.caId(), true));
                if (cs >= 0) {
                    refresh(cs, now);
                }
            }
            int s = fill(c);
            updateReplacement(c, s, now);
            if (c.predecessorId() != 0) {
                inventory.certificate(c.predecessorId()).ifPresent(p -> refresh(fill(p), now));
            }
            refresh(s, now);
        });
        commit();
    }

    synchronized void caChanged(long id) {
        long now = now();
        Optional<CaInfo> ca = inventory.ca(id);
        if (ca.isEmpty() || ca.get().status() == CaStatus.DELETED) {
            int s = schedule.slot(Schedule.key(id, true));
            if (s >= 0) {
                schedule.remove(s);
            }
        } else {
            refresh(fill(ca.get()), now);
        }
        commit();
    }

    synchronized void serverCertificateChanged() {
        long before = serverCertificateId;
        serverCertificateId = inventory.serverCertificateId();
        if (before != serverCertificateId) {
            long now = now();
            int s = schedule.slot(Schedule.key(serverCertificateId, false));
            if (s >= 0) {
                refresh(s, now);
            }
            commit();
        }
    }

    /** The computer registry came, went (null) or must be re-read as a whole. */
    synchronized void computersReloaded(ComputerRegistry registry) {
        computers.clear();
        computersByCertificate.clear();
        if (registry != null) {
            for (Computer c : registry.computers()) {
                updateComputer(c, false);
            }
        }
        commit();
    }

    synchronized void computerChanged(ComputerRegistry registry, long id) {
        if (registry != null) {
            registry.computer(id).ifPresent(c -> updateComputer(c, true));
        }
        commit();
    }

    /**
     * Evaluates every entry whose next change has come; after a backward clock jump re-plans all.
     *
     * @return the epoch second of the next change, {@link Schedule#NEVER} when none
     */
    synchronized long runDue() {
        long now = now();
        if (now < lastNow) {
            evaluateAll(now, true);
        } else {
            while (schedule.nextDue() <= now) {
                int s = schedule.peek();
                evaluate(s, now, true);
                schedule.schedule(s, nextDue(s, now));
            }
        }
        lastNow = now;
        evaluatedAt = clock.instant();
        commit();
        return schedule.nextDue();
    }

    synchronized long nextDue() {
        return schedule.nextDue();
    }

    synchronized int size() {
        return schedule.size();
    }

    private void setDefinitions(List<NotificationDefinition> definitions) {
        List<NotificationDefinition> enabled = new ArrayList<>();
        TreeSet<Long> o = new TreeSet<>();
        o.add(warning);
        o.add(critical);
        o.add(0L);
        for (NotificationDefinition d : definitions) {
            if (!d.enabled()) {
                continue;
            }
            enabled.add(d);
            if (d.scope() != NotificationScope.COMPUTERS) {
                for (int t : d.thresholds()) {
                    o.add(t * DAY);
                }
            }
        }
        active = List.copyOf(enabled);
        offsets = o.descendingSet().stream().mapToLong(Long::longValue).toArray();
    }

    private int fill(CaInfo ca) {
        int s = schedule.add(Schedule.key(ca.id(), true));
        schedule.notBefore[s] = ca.notBefore().getEpochSecond();
        schedule.notAfter[s] = ca.notAfter().getEpochSecond();
        schedule.flags[s] = (byte) Schedule.F_CA;
        schedule.role[s] = -1;
        schedule.group[s] = group(ca.homeGroup());
        return s;
    }

    private int fill(CertificateInfo c) {
        advisor.seen(c);
        int s = schedule.add(Schedule.key(c.id(), false));
        schedule.notBefore[s] = c.notBefore().getEpochSecond();
        schedule.notAfter[s] = c.notAfter().getEpochSecond();
        int f = schedule.flags[s] & Schedule.F_REPLACED;
        if (c.revoked()) {
            f |= Schedule.F_REVOKED;
        }
        if (c.successorId() != 0) {
            f |= Schedule.F_RENEWED;
        }
        schedule.flags[s] = (byte) f;
        schedule.role[s] = (byte) c.role().ordinal();
        schedule.group[s] = group(c.homeGroup());
        return s;
    }

    private int group(String path) {
        String p = path == null || path.isEmpty() ? "All" : path;
        Integer i = groupIndex.get(p);
        if (i == null) {
            i = groups.size();
            groups.add(p);
            groupIndex.put(p, i);
        }
        return i;
    }

    /** A 64-bit hash of role and host: "same role and host" without keeping the strings. */
    private static long hostKey(CertificateInfo c) {
        if (c.host() == null || c.host().isEmpty()) {
            return 0;
        }
        long h = 0xcbf29ce484222325L ^ c.role().ordinal();
        for (int i = 0; i < c.host().length(); i++) {
            h = (h ^ Character.toLowerCase(c.host().charAt(i))) * 0x100000001b3L;
        }
        return h == Long.MIN_VALUE || h == 0 ? 1 : h;
    }

    private void markReplacedOnLoad(CertificateInfo c) {
        long hk = hostKey(c);
        if (hk == 0 || c.revoked()) {
            return;
        }
        int s = schedule.slot(Schedule.key(c.id(), false));
        int best = hostBest.get(hk);
        if (best < 0) {
            hostBest.put(hk, s);
        } else if (schedule.notAfter[s] > schedule.notAfter[best]) {
            schedule.flags[best] |= Schedule.F_REPLACED;
            hostBest.put(hk, s);
        } else if (best != s) {
            schedule.flags[s] |= Schedule.F_REPLACED;
        }
    }

    /** A later certificate of the same role and host replaces the earlier; revoking the best frees the key. */
    private void updateReplacement(CertificateInfo c, int s, long now) {
        long hk = hostKey(c);
        if (hk == 0) {
            return;
        }
        int best = hostBest.get(hk);
        if (c.revoked()) {
            if (best == s) {
                hostBest.remove(hk);
            }
            return;
        }
        if (best < 0 || best == s) {
            hostBest.put(hk, s);
        } else if (schedule.notAfter[s] > schedule.notAfter[best]) {
            hostBest.put(hk, s);
            schedule.flags[best] |= Schedule.F_REPLACED;
            refresh(best, now);
        } else {
            schedule.flags[s] |= Schedule.F_REPLACED;
        }
    }

    private void refresh(int s, long now) {
        evaluate(s, now, true);
        schedule.schedule(s, nextDue(s, now));
    }

    private void evaluateAll(long now, boolean announce) {
        schedule.clearHeap();
        for (int s = 0; s < schedule.capacity(); s++) {
            if (schedule.used(s)) {
                evaluate(s, now, announce);
                schedule.scheduleUnordered(s, nextDue(s, now));
            }
        }
        schedule.heapify();
        for (ComputerEntry c : computers.values()) {
            evaluateComputer(c, announce);
        }
        lastNow = now;
        evaluatedAt = clock.instant();
    }

    // ---------------------------------------------------------------- evaluation

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private boolean flag(int s, int f) {
        return (schedule.flags[s] & f) != 0;
    }

    private boolean replaced(int s) {
        return flag(s, Schedule.F_RENEWED) || flag(s, Schedule.F_REPLACED);
    }

    private ExpiryStatus status(int s, long now) {
        if (flag(s, Schedule.F_REVOKED)) {
            return ExpiryStatus.REVOKED;
        }
        if (now < schedule.notBefore[s]) {
            return ExpiryStatus.NOT_YET_VALID;
        }
        long na = schedule.notAfter[s];
        if (now >= na) {
            return ExpiryStatus.EXPIRED;
        }
        return now >= na - warning ? ExpiryStatus.EXPIRING : ExpiryStatus.VALID;
    }

    private boolean critical(int s, ExpiryStatus st, long now) {
        if (st == ExpiryStatus.REVOKED || replaced(s)) {
            return false;
        }
        return st == ExpiryStatus.EXPIRED || now >= schedule.notAfter[s] - critical;
    }

    static long daysLeft(long notAfter, long now) {
        return Math.floorDiv(notAfter - now, DAY);
    }

    private long nextDue(int s, long now) {
        if (flag(s, Schedule.F_REVOKED)) {
            return Schedule.NEVER;
        }
        long best = Schedule.NEVER;
        if (schedule.notBefore[s] > now) {
            best = schedule.notBefore[s];
        }
        long na = schedule.notAfter[s];
        if (flag(s, Schedule.F_CA)) {
            long suggest = advisor.suggestAt(schedule.key[s] >> 1, na);
            if (suggest > now) {
                best = Math.min(best, suggest);
            }
        }
        for (long off : offsets) {
            long t = na - off;
            if (t > now) {
                return Math.min(best, t);
            }
        }
        return best;
    }

    private void evaluate(int s, long now, boolean announce) {
        ExpiryStatus st = status(s, now);
        byte newState = (byte) (st.ordinal() | (critical(s, st, now) ? CRITICAL : 0));
        byte old = schedule.state[s];
        schedule.state[s] = newState;
        boolean ca = flag(s, Schedule.F_CA);
        long id = schedule.key[s] >> 1;
        ExpiryStatus oldStatus = old < 0 ? null : ExpiryStatus.values()[old & 7];
        if (oldStatus != st) {
            if (announce && (st == ExpiryStatus.EXPIRING || st == ExpiryStatus.EXPIRED)) {
                postStatus(s, id, ca, st, now);
            }
            if (!ca) {
                Set<Long> ids = computersByCertificate.get(id);
                if (ids != null) {
                    for (Long c : ids) {
                        evaluateComputer(computers.get(c), announce);
                    }
                }
            }
        }
        if (!active.isEmpty()) {
            checkNotifications(s, id, ca, st, now);
        }
    }

    private void postStatus(int s, long id, boolean ca, ExpiryStatus st, long now) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ca ? "ca.id" : "certificate.id", id);
        p.put("status", st.name());
        p.put("daysLeft", daysLeft(schedule.notAfter[s], now));
        p.put("notAfter", Instant.ofEpochSecond(schedule.notAfter[s]).toString());
        p.put("group", groups.get(schedule.group[s]));
        String topic = ca ? (st == ExpiryStatus.EXPIRED ? Topics.CA_EXPIRED : Topics.CA_EXPIRING)
                : (st == ExpiryStatus.EXPIRED ? Topics.CERTIFICATE_EXPIRED : Topics.CERTIFICATE_EXPIRING);
        events.post(topic, p);
    }

    /** The most severe threshold crossed: -1 once expired, else the smallest threshold reached, else NONE. */
    static int crossed(List<Integer> thresholdsDescending, long notAfter, long now) {
        if (now >= notAfter) {
            return -1;
        }
        int result = NONE;
        for (int t : thresholdsDescending) {
            if (now >= notAfter - t * DAY) {
                result = t;
            }
        }
        return result;
    }

    private boolean covers(NotificationDefinition d, int s, long id, boolean ca) {
        boolean scope = switch (d.scope()) {
            case SERVER_CERTIFICATE -> !ca && id == serverCertificateId;
            case CAS -> ca;
            case PEER_CERTIFICATES -> !ca && (d.role() == null || d.role().ordinal() == schedule.role[s]);
            case COMPUTERS -> false;
        };
        return scope && GroupPaths.contains(d.ownerGroup(), groups.get(schedule.group[s]));
    }

    private void checkNotifications(int s, long id, boolean ca, ExpiryStatus st, long now) {
        if (st == ExpiryStatus.REVOKED || replaced(s)) {
            return; // noise control: nobody needs to hear about a revoked or replaced certificate
        }
        for (NotificationDefinition d : active) {
            if (!covers(d, s, id, ca)) {
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
            Integer prior = notified(d.id(), key);
            if (prior != null && prior <= crossed) {
                continue;
            }
            Notice n = certificateNotice(d, id, ca, crossed, now);
            if (n != null) {
                record(d.id(), key, crossed, n);
            }
        }
    }

    /** Once per CA and notification: its rollover is due (see {@link RolloverAdvisor}). */
    private void suggestRollover(NotificationDefinition d, int s, long id, long now) {
        long na = schedule.notAfter[s];
        String key = d.id() + RolloverAdvisor.SUFFIX;
        if (now < advisor.suggestAt(id, na) || now >= na || notified(key, schedule.key[s]) != null) {
            return;
        }
        inventory.ca(id).ifPresent(c -> record(key, schedule.key[s], 0,
                advisor.notice(d, c, daysLeft(na, now), clock.instant())));
    }

    private Integer notified(String notification, long key) {
        Integer inBatch = batchOverlay.get(notification + ":" + key);
        return inBatch != null ? inBatch : outbox.notified(notification, key);
    }

    private void record(String notification, long key, int value, Notice n) {
        batchOverlay.put(notification + ":" + key, value);
        batchStates.add(new Outbox.StateRecord(notification, key, value));
        if (!Outbox.channelsFor(n).isEmpty()) {
            batchNotices.add(n);
        }
    }

    private void commit() {
        if (batchStates.isEmpty() && batchNotices.isEmpty()) {
            return;
        }
        // on failure (e.g. the disk is full) the batch stays and goes with the next commit: the entries
        // behind it are already re-planned past these thresholds, so dropping it would lose the notices
        outbox.commit(List.copyOf(batchStates), List.copyOf(batchNotices));
        batchStates.clear();
        batchNotices.clear();
        batchOverlay.clear();
    }

    private Notice certificateNotice(NotificationDefinition d, long id, boolean ca, int crossed, long now) {
        Instant created = clock.instant();
        String suffix = crossed < 0 ? "expired" : "d" + crossed;
        String noticeId = d.id() + "." + (ca ? "ca" : "cert") + id + "." + suffix;
        if (ca) {
            CaInfo c = inventory.ca(id).orElse(null);
            if (c == null) {
                return null;
            }
            long days = daysLeft(c.notAfter().getEpochSecond(), now);
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
        long days = daysLeft(c.notAfter().getEpochSecond(), now);
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

    // ---------------------------------------------------------------- computers

    private void updateComputer(Computer c, boolean announce) {
        ComputerEntry e = computers.computeIfAbsent(c.id(), ComputerEntry::new);
        if (e.certificateId != c.certificateId()) {
            Set<Long> old = computersByCertificate.get(e.certificateId);
            if (old != null) {
                old.remove(e.id);
                if (old.isEmpty()) {
                    computersByCertificate.remove(e.certificateId);
                }
            }
            if (c.certificateId() != 0) {
                computersByCertificate.computeIfAbsent(c.certificateId(), k -> new HashSet<>()).add(e.id);
            }
        }
        e.name = c.name();
        e.group = c.group();
        e.certificateId = c.certificateId();
        evaluateComputer(e, announce);
    }

    private int certificateSlot(long certificateId) {
        return certificateId == 0 ? -1 : schedule.slot(Schedule.key(certificateId, false));
    }

    private ComputerStatus computerStatus(ComputerEntry e, long now) {
        int s = certificateSlot(e.certificateId);
        if (s < 0) {
            return ComputerStatus.OK;
        }
        return switch (status(s, now)) {
            case EXPIRING -> ComputerStatus.WARNING;
            case EXPIRED -> ComputerStatus.ERROR;
            default -> ComputerStatus.OK;
        };
    }

    private void evaluateComputer(ComputerEntry e, boolean announce) {
        long now = now();
        ComputerStatus st = computerStatus(e, now);
        ComputerStatus old = e.status;
        e.status = st;
        ComputerHealth h = health(e, now);
        if (announce && old != st) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("computer.id", e.id);
            p.put("name", e.name);
            p.put("group", e.group);
            p.put("status", st.name());
            p.put("previous", old.name());
            p.put("certificate.id", e.certificateId);
            p.put("daysLeft", h.daysLeft());
            p.put("text", h.text());
            events.post(Topics.COMPUTER_STATUS_CHANGED, p);
        }
        for (NotificationDefinition d : active) {
            if (d.scope() != NotificationScope.COMPUTERS || !GroupPaths.contains(d.ownerGroup(), e.group)) {
                continue;
            }
            long key = -e.id; // computers: negative keys, apart from certificate keys
            Integer prior = notified(d.id(), key);
            int value = st.ordinal();
            if ((prior == null ? ComputerStatus.OK.ordinal() : prior) == value) {
                continue;
            }
            String text = "computer " + e.name + ": " + h.text()
                    + (h.daysLeft() == Integer.MAX_VALUE ? "" : " (" + h.daysLeft() + " days left)");
            Notice n = new Notice(UUID.randomUUID().toString(), NoticeKind.COMPUTER_STATUS_CHANGED, clock.instant(),
                    d.name(), e.id, "", e.name, "", Role.AGENT, e.name, "", null, h.daysLeft(), -1, e.group, text,
                    "/computers/" + e.id, d.emailRecipients(), d.snmp(), 0, 0, "", st.name());
            record(d.id(), key, value, n);
        }
    }

    private ComputerHealth health(ComputerEntry e, long now) {
        int s = certificateSlot(e.certificateId);
        ComputerStatus st = computerStatus(e, now);
        String text = switch (st) {
            case WARNING -> "certificate expires soon";
            case ERROR -> "certificate expired";
            case OK -> "OK";
        };
        if (s < 0) {
            return new ComputerHealth(e.id, st, e.certificateId, null, Integer.MAX_VALUE, text);
        }
        return new ComputerHealth(e.id, st, e.certificateId, status(s, now), daysLeft(schedule.notAfter[s], now),
                text);
    }

    // ---------------------------------------------------------------- reading

    synchronized Optional<CertificateHealth> certificate(long id) {
        return health(Schedule.key(id, false));
    }

    synchronized Optional<CertificateHealth> ca(long id) {
        return health(Schedule.key(id, true));
    }

    private Optional<CertificateHealth> health(long key) {
        int s = schedule.slot(key);
        if (s < 0) {
            return Optional.empty();
        }
        long now = now();
        ExpiryStatus st = status(s, now);
        return Optional.of(new CertificateHealth(key >> 1, (key & 1) == 1, st,
                daysLeft(schedule.notAfter[s], now), critical(s, st, now), replaced(s)));
    }

    synchronized Optional<ComputerHealth> computer(long id) {
        ComputerEntry e = computers.get(id);
        return e == null ? Optional.empty() : Optional.of(health(e, now()));
    }

    synchronized ExpirySummary summary(UserScope scope) {
        long now = now();
        Map<ExpiryStatus, Integer> cas = new EnumMap<>(ExpiryStatus.class);
        Map<ExpiryStatus, Integer> certs = new EnumMap<>(ExpiryStatus.class);
        Map<ComputerStatus, Integer> comps = new EnumMap<>(ComputerStatus.class);
        for (ExpiryStatus st : ExpiryStatus.values()) {
            cas.put(st, 0);
            certs.put(st, 0);
        }
        for (ComputerStatus st : ComputerStatus.values()) {
            comps.put(st, 0);
        }
        boolean[] visible = new boolean[groups.size()];
        for (int g = 0; g < visible.length; g++) {
            visible[g] = scope.seesCertificatesOf(groups.get(g));
        }
        int nextSlot = -1;
        for (int s = 0; s < schedule.capacity(); s++) {
            if (!schedule.used(s) || !visible[schedule.group[s]]) {
                continue;
            }
            ExpiryStatus st = status(s, now);
            (flag(s, Schedule.F_CA) ? cas : certs).merge(st, 1, Integer::sum);
            if (st != ExpiryStatus.REVOKED && (nextSlot < 0 || schedule.notAfter[s] < schedule.notAfter[nextSlot])) {
                nextSlot = s;
            }
        }
        for (ComputerEntry e : computers.values()) {
            if (scope.seesComputersOf(e.group)) {
                comps.merge(computerStatus(e, now), 1, Integer::sum);
            }
        }
        ExpirySummary.NextExpiry next = nextSlot < 0 ? null
                : new ExpirySummary.NextExpiry(flag(nextSlot, Schedule.F_CA), schedule.key[nextSlot] >> 1,
                        Instant.ofEpochSecond(schedule.notAfter[nextSlot]),
                        daysLeft(schedule.notAfter[nextSlot], now));
        return new ExpirySummary(evaluatedAt == null ? clock.instant() : evaluatedAt, Duration.ofSeconds(warning),
                Duration.ofSeconds(critical), cas, certs, comps, next);
    }

    /** Bytes of primitive state per entry, for the benchmark's plausibility check. */
    synchronized int groups() {
        return groups.size();
    }
}
