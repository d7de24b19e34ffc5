package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.CertificateHealth;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.monitor.ExpirySummary;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;

/**
 * Expiry evaluation driven by a {@link Schedule}: every CA and certificate sits in a min-heap keyed
 * by the instant of its next status change (notBefore, notAfter minus the warning window, the
 * critical window, every notification threshold, notAfter). {@link #runDue()} evaluates exactly the
 * entries whose instant has come; a store event costs one O(log n) heap update. The rules, notices,
 * replacement and computer health live in their own classes; this one keeps the schedule current.
 * Thread-safe by monitor lock; the scheduler thread and API readers call it.
 */
final class MonitorEngine {
    private static final int CRITICAL = 8;

    private final Inventory inventory;
    private final Clock clock;
    private final Events events;
    private final RolloverAdvisor advisor;
    private final Schedule schedule;
    private final GroupNames groups = new GroupNames();
    private final StatusRules rules;
    private final ReplacementTracker replacements;
    private final NoticeBatch batch;
    private final ThresholdNotices notices;
    private final ComputerHealthTracker computers;
    private long serverCertificateId;
    private long lastNow = Long.MIN_VALUE;
    private Instant evaluatedAt;

    MonitorEngine(Inventory inventory, Clock clock, Events events, Outbox outbox, Duration warning,
            Duration critical, int expected) {
        this(inventory, clock, events, outbox, warning, critical, expected, 0);
    }

    /** @param silentIntervals replication intervals without one after which a computer is SILENT; 0: never */
    MonitorEngine(Inventory inventory, Clock clock, Events events, Outbox outbox, Duration warning,
            Duration critical, int expected, int silentIntervals) {
        this.inventory = inventory;
        this.clock = clock;
        this.events = events;
        this.advisor = new RolloverAdvisor(warning.toSeconds());
        this.schedule = new Schedule(expected);
        this.rules = new StatusRules(schedule, advisor, warning.toSeconds(), critical.toSeconds());
        this.replacements = new ReplacementTracker(schedule);
        this.batch = new NoticeBatch(outbox);
        this.notices = new ThresholdNotices(schedule, groups, rules, advisor, inventory, clock, batch);
        this.computers = new ComputerHealthTracker(schedule, rules, clock, events, batch, notices::active,
                silentIntervals);
    }

    // ---------------------------------------------------------------- loading and changes

    /** Loads everything from the store, evaluates it and catches up on thresholds crossed while down. */
    synchronized void load(List<NotificationDefinition> definitions) {
        notices.define(definitions);
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
            replacements.loaded(c);
        }
        evaluateAll(now, false);
        batch.commit();
    }

    synchronized void definitionsChanged(List<NotificationDefinition> definitions) {
        notices.define(definitions);
        evaluateAll(now(), true);
        batch.commit();
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
            replacements.changed(c, s, replaced -> refresh(replaced, now));
            if (c.predecessorId() != 0) {
                inventory.certificate(c.predecessorId()).ifPresent(p -> refresh(fill(p), now));
            }
            refresh(s, now);
        });
        batch.commit();
    }

    /** A monitored certificate's record was deleted: it leaves the schedule. */
    synchronized void certificateDeleted(long id, Role role, String host) {
        int s = schedule.slot(Schedule.key(id, false));
        if (s >= 0) {
            replacements.removed(role, host, s);
            schedule.remove(s);
        }
        batch.commit();
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
        batch.commit();
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
            batch.commit();
        }
    }

    /** The computer registry came, went (null) or must be re-read as a whole. */
    synchronized void computersReloaded(ComputerRegistry registry) {
        computers.reload(registry);
        batch.commit();
    }

    /** Agents replicated: their computers' last replication moves on (and a SILENT one is OK again). */
    synchronized void computersReplicated(ComputerRegistry registry, long[] ids) {
        if (registry != null) {
            computers.interval(registry);
            for (long id : ids) {
                registry.computer(id).ifPresent(c -> computers.update(c, true));
            }
        }
        batch.commit();
    }

    synchronized void computerChanged(ComputerRegistry registry, long id) {
        if (registry != null) {
            computers.interval(registry);
            registry.computer(id).ifPresent(c -> computers.update(c, true));
        }
        batch.commit();
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
                schedule.schedule(s, rules.nextDue(s, now, notices.offsets()));
            }
        }
        long silence = computers.runDue(now);
        lastNow = now;
        evaluatedAt = clock.instant();
        batch.commit();
        return Math.min(schedule.nextDue(), silence);
    }

    synchronized long nextDue() {
        return schedule.nextDue();
    }

    synchronized int size() {
        return schedule.size();
    }

    private int fill(CaInfo ca) {
        int s = schedule.add(Schedule.key(ca.id(), true));
        schedule.notBefore[s] = ca.notBefore().getEpochSecond();
        schedule.notAfter[s] = ca.notAfter().getEpochSecond();
        schedule.flags[s] = (byte) Schedule.F_CA;
        schedule.role[s] = -1;
        schedule.group[s] = groups.intern(ca.homeGroup());
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
        // a monitored certificate replaced where it was used, or held nowhere any more, stops alarming too
        if (c.successorId() != 0 || c.retired()) {
            f |= Schedule.F_RENEWED;
        }
        schedule.flags[s] = (byte) f;
        schedule.role[s] = (byte) c.role().ordinal();
        schedule.group[s] = groups.intern(c.homeGroup());
        return s;
    }

    private void refresh(int s, long now) {
        evaluate(s, now, true);
        schedule.schedule(s, rules.nextDue(s, now, notices.offsets()));
    }

    private void evaluateAll(long now, boolean announce) {
        schedule.clearHeap();
        long[] offsets = notices.offsets();
        for (int s = 0; s < schedule.capacity(); s++) {
            if (schedule.used(s)) {
                evaluate(s, now, announce);
                schedule.scheduleUnordered(s, rules.nextDue(s, now, offsets));
            }
        }
        schedule.heapify();
        computers.evaluateAll(announce);
        lastNow = now;
        evaluatedAt = clock.instant();
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    private void evaluate(int s, long now, boolean announce) {
        ExpiryStatus st = rules.status(s, now);
        byte newState = (byte) (st.ordinal() | (rules.critical(s, st, now) ? CRITICAL : 0));
        byte old = schedule.state[s];
        schedule.state[s] = newState;
        boolean ca = rules.flag(s, Schedule.F_CA);
        long id = schedule.key[s] >> 1;
        ExpiryStatus oldStatus = old < 0 ? null : ExpiryStatus.values()[old & 7];
        if (oldStatus != st) {
            if (announce && (st == ExpiryStatus.EXPIRING || st == ExpiryStatus.EXPIRED)) {
                postStatus(s, id, ca, st, now);
            }
            if (!ca) {
                computers.certificateChanged(id, announce);
            }
        }
        notices.check(s, id, ca, st, now, serverCertificateId);
    }

    private void postStatus(int s, long id, boolean ca, ExpiryStatus st, long now) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(ca ? "ca.id" : "certificate.id", id);
        p.put("status", st.name());
        p.put("daysLeft", StatusRules.daysLeft(schedule.notAfter[s], clock.instant()));
        p.put("notAfter", Instant.ofEpochSecond(schedule.notAfter[s]).toString());
        p.put("group", groups.name(schedule.group[s]));
        String topic = ca ? (st == ExpiryStatus.EXPIRED ? Topics.CA_EXPIRED : Topics.CA_EXPIRING)
                : (st == ExpiryStatus.EXPIRED ? Topics.CERTIFICATE_EXPIRED : Topics.CERTIFICATE_EXPIRING);
        events.post(topic, p);
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
        Instant at = clock.instant();
        long now = at.getEpochSecond();
        ExpiryStatus st = rules.status(s, now);
        return Optional.of(new CertificateHealth(key >> 1, (key & 1) == 1, st,
                StatusRules.daysLeft(schedule.notAfter[s], at), rules.critical(s, st, now), rules.replaced(s)));
    }

    synchronized Optional<ComputerHealth> computer(long id) {
        return computers.health(id, clock.instant());
    }

    synchronized ExpirySummary summary(UserScope scope) {
        Instant at = clock.instant();
        long now = at.getEpochSecond();
        Map<ComputerStatus, Integer> comps = new EnumMap<>(ComputerStatus.class);
        for (ComputerStatus st : ComputerStatus.values()) {
            comps.put(st, 0);
        }
        boolean[] visible = new boolean[groups.size()];
        for (int g = 0; g < visible.length; g++) {
            visible[g] = scope.seesCertificatesOf(groups.name(g));
        }
        // plain int counters: a boxed Integer per slot (Map.merge) was half of this loop's time (JFR)
        int[] cas = new int[ExpiryStatus.values().length];
        int[] certs = new int[cas.length];
        int nextSlot = -1;
        for (int s = 0; s < schedule.capacity(); s++) {
            // a renewed, superseded or retired certificate keeps its status but is no longer in use: counting
            // it would keep an EXPIRING on the dashboard and in the MIB after the admin replaced it
            if (!schedule.used(s) || !visible[schedule.group[s]] || rules.replaced(s)) {
                continue;
            }
            ExpiryStatus st = rules.status(s, now);
            (rules.flag(s, Schedule.F_CA) ? cas : certs)[st.ordinal()]++;
            if (st != ExpiryStatus.REVOKED && (nextSlot < 0 || schedule.notAfter[s] < schedule.notAfter[nextSlot])) {
                nextSlot = s;
            }
        }
        computers.count(scope, now, comps);
        ExpirySummary.NextExpiry next = nextSlot < 0 ? null
                : new ExpirySummary.NextExpiry(rules.flag(nextSlot, Schedule.F_CA), schedule.key[nextSlot] >> 1,
                        Instant.ofEpochSecond(schedule.notAfter[nextSlot]),
                        StatusRules.daysLeft(schedule.notAfter[nextSlot], at));
        return new ExpirySummary(evaluatedAt == null ? clock.instant() : evaluatedAt,
                Duration.ofSeconds(rules.warning), Duration.ofSeconds(rules.critical), byStatus(cas), byStatus(certs),
                comps, next);
    }

    private static Map<ExpiryStatus, Integer> byStatus(int[] counts) {
        Map<ExpiryStatus, Integer> m = new EnumMap<>(ExpiryStatus.class);
        for (ExpiryStatus st : ExpiryStatus.values()) {
            m.put(st, counts[st.ordinal()]);
        }
        return m;
    }
}
