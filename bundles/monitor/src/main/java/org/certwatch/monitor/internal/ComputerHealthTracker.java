package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ComputerHealth;
import org.certwatch.api.monitor.ComputerStatus;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;

/**
 * A computer's health follows its agent certificate (expiring: WARNING, expired: ERROR) and its agent's
 * replications (none for {@code silentIntervals} replication intervals: SILENT, which only ERROR beats).
 * Announces each change as an event and as a notice of the COMPUTERS notifications covering its group.
 */
final class ComputerHealthTracker {
    private final Schedule schedule;
    private final StatusRules rules;
    private final Clock clock;
    private final Events events;
    private final NoticeBatch batch;
    private final Supplier<Iterable<NotificationDefinition>> definitions;
    private final Map<Long, Entry> computers = new HashMap<>();
    private final Map<Long, Set<Long>> byCertificate = new HashMap<>();
    private final int silentIntervals;
    /** Seconds without a replication after which a computer is SILENT; 0: never. */
    private long silentAfter;
    /** While the server was down no agent could replicate: silence counts from its start at the earliest. */
    private final long startedAt;

    private static final class Entry {
        final long id;
        String name;
        String group;
        long certificateId;
        /** Epoch second of the last replication, {@link #NEVER} when its agent never replicated. */
        long lastReplication = NEVER;
        ComputerStatus status = ComputerStatus.OK;

        Entry(long id) {
            this.id = id;
        }
    }

    private static final long NEVER = Long.MIN_VALUE;

    ComputerHealthTracker(Schedule schedule, StatusRules rules, Clock clock, Events events, NoticeBatch batch,
            Supplier<Iterable<NotificationDefinition>> definitions, int silentIntervals) {
        this.schedule = schedule;
        this.rules = rules;
        this.clock = clock;
        this.events = events;
        this.batch = batch;
        this.definitions = definitions;
        this.silentIntervals = silentIntervals;
        this.startedAt = clock.instant().getEpochSecond();
    }

    /** The registry came, went (null) or must be re-read as a whole. */
    void reload(ComputerRegistry registry) {
        computers.clear();
        byCertificate.clear();
        interval(registry);
        if (registry != null) {
            for (Computer c : registry.computers()) {
                update(c, false);
            }
        }
    }

    void update(Computer c, boolean announce) {
        Entry e = computers.computeIfAbsent(c.id(), Entry::new);
        if (e.certificateId != c.certificateId()) {
            Set<Long> old = byCertificate.get(e.certificateId);
            if (old != null) {
                old.remove(e.id);
                if (old.isEmpty()) {
                    byCertificate.remove(e.certificateId);
                }
            }
            if (c.certificateId() != 0) {
                byCertificate.computeIfAbsent(c.certificateId(), k -> new HashSet<>()).add(e.id);
            }
        }
        e.name = c.name();
        e.group = c.group();
        e.certificateId = c.certificateId();
        e.lastReplication = c.lastReplication() == null ? NEVER : c.lastReplication().getEpochSecond();
        evaluate(e, announce);
    }

    /** The fleet's replication interval now (it grows with the fleet): how long silence takes. */
    void interval(ComputerRegistry registry) {
        silentAfter = registry == null || silentIntervals <= 0 ? 0
                : registry.replicationInterval().toSeconds() * silentIntervals;
    }

    /**
     * Announces the computers whose silence began or ended by {@code now}; returns the epoch second the
     * next one falls silent, {@link Schedule#NEVER} when none will.
     */
    long runDue(long now) {
        long next = Schedule.NEVER;
        for (Entry e : computers.values()) {
            if (status(e, now) != e.status) {
                evaluate(e, true);
            }
            long silentAt = silentAt(e);
            if (silentAt > now && silentAt < next) {
                next = silentAt;
            }
        }
        return next;
    }

    private long silentAt(Entry e) {
        return silentAfter <= 0 || e.lastReplication == NEVER ? Schedule.NEVER
                : Math.max(e.lastReplication, startedAt) + silentAfter;
    }

    /** A certificate's status changed: so may the health of the computers it belongs to. */
    void certificateChanged(long certificateId, boolean announce) {
        Set<Long> ids = byCertificate.get(certificateId);
        if (ids != null) {
            for (Long c : ids) {
                evaluate(computers.get(c), announce);
            }
        }
    }

    void evaluateAll(boolean announce) {
        for (Entry c : computers.values()) {
            evaluate(c, announce);
        }
    }

    Optional<ComputerHealth> health(long id, Instant now) {
        Entry e = computers.get(id);
        return e == null ? Optional.empty() : Optional.of(health(e, now));
    }

    /** Counts the computers {@code scope} sees by status into {@code counts}. */
    void count(UserScope scope, long now, Map<ComputerStatus, Integer> counts) {
        for (Entry e : computers.values()) {
            if (scope.seesComputersOf(e.group)) {
                counts.merge(status(e, now), 1, Integer::sum);
            }
        }
    }

    private int certificateSlot(long certificateId) {
        return certificateId == 0 ? -1 : schedule.slot(Schedule.key(certificateId, false));
    }

    private ComputerStatus status(Entry e, long now) {
        int s = certificateSlot(e.certificateId);
        ComputerStatus certificateStatus = s < 0 ? ComputerStatus.OK : switch (rules.status(s, now)) {
            case EXPIRING -> ComputerStatus.WARNING;
            case EXPIRED -> ComputerStatus.ERROR;
            default -> ComputerStatus.OK;
        };
        // an expired certificate is why an agent cannot replicate: it stays the reason shown
        return certificateStatus != ComputerStatus.ERROR && now >= silentAt(e) ? ComputerStatus.SILENT
                : certificateStatus;
    }

    private void evaluate(Entry e, boolean announce) {
        Instant at = clock.instant();
        ComputerStatus st = status(e, at.getEpochSecond());
        ComputerStatus old = e.status;
        e.status = st;
        ComputerHealth h = health(e, at);
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
        for (NotificationDefinition d : definitions.get()) {
            if (d.scope() != NotificationScope.COMPUTERS || !GroupPaths.contains(d.ownerGroup(), e.group)) {
                continue;
            }
            long key = -e.id; // computers: negative keys, apart from certificate keys
            Integer prior = batch.notified(d.id(), key);
            int value = st.ordinal();
            if ((prior == null ? ComputerStatus.OK.ordinal() : prior) == value) {
                continue;
            }
            String text = "computer " + e.name + ": " + h.text()
                    + (h.daysLeft() == Integer.MAX_VALUE ? "" : " (" + h.daysLeft() + " days left)");
            Notice n = new Notice(UUID.randomUUID().toString(), NoticeKind.COMPUTER_STATUS_CHANGED, clock.instant(),
                    d.name(), e.id, "", e.name, "", Role.AGENT, e.name, "", null, h.daysLeft(), -1, e.group, text,
                    "/computers/" + e.id, d.emailRecipients(), d.snmp(), 0, 0, "", st.name());
            batch.record(d.id(), key, value, n);
        }
    }

    private ComputerHealth health(Entry e, Instant at) {
        long now = at.getEpochSecond();
        int s = certificateSlot(e.certificateId);
        ComputerStatus st = status(e, now);
        String text = switch (st) {
            case WARNING -> "certificate expires soon";
            case ERROR -> "certificate expired";
            case SILENT -> "agent silent since " + Instant.ofEpochSecond(e.lastReplication);
            case OK -> "OK";
        };
        if (s < 0) {
            return new ComputerHealth(e.id, st, e.certificateId, null, Integer.MAX_VALUE, text);
        }
        return new ComputerHealth(e.id, st, e.certificateId, rules.status(s, now),
                StatusRules.daysLeft(schedule.notAfter[s], at), text);
    }
}
