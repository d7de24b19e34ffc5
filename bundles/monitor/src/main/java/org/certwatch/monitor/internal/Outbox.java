package org.certwatch.monitor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.logging.Logger;
import org.certwatch.api.notify.DeliveryException;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NotificationChannel;
import org.certwatch.api.notify.OutboxEntry;
import org.certwatch.monitor.internal.OutboxState.Pending;

/**
 * The durable outbox and the "already notified" state, in one append-only journal (kept by
 * {@link MonitorStorage}) so a notice and the state that suppresses its duplicate become durable
 * together, with one flush per batch (group commit). Compacted on open ({@link OutboxCompaction}); the records
 * build an {@link OutboxState}.
 *
 * <p>Delivery: per channel, notices go out in the order they were created; a channel that is absent
 * leaves its notices waiting; a transient failure backs the channel off exponentially (real elapsed
 * time, not the registry clock, since it is about the peer recovering); a permanent failure marks
 * the notice failed for that channel until an admin retries or discards it.
 *
 * <p>With servers sharing a backend only the leader delivers (checked right before each hand-over to a
 * channel) and schedules notices ({@link NoticeBatch}); every server applies the others' records
 * ({@link #applyFollowed}), so each lists the same outbox and a new leader knows what is left to send.
 */
final class Outbox implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor.outbox");

    /** "notification {@code notification} has told about object {@code key} up to {@code value}". */
    record StateRecord(String notification, long key, int value) {
    }

    private final MonitorStorage storage;
    private final Clock clock;
    private final BooleanSupplier leading;
    // guarded by this: the journal's state (its maps by their old names), the channels' back-off
    private final OutboxState state;
    private final Map<String, Map<Long, Integer>> notified;
    private final LinkedHashMap<String, Pending> pending;
    private final ChannelBackoff backoff;
    private final OutboxCompaction compaction;
    private Runnable onChange = () -> { };
    /**
     * Counts the leadership changes ({@link #leadershipChanged}); the delivery announces each term it delivers in,
     * even one that began and ended between two of its rounds.
     */
    private volatile long leadershipChanges;
    private long announced = -1; // the delivery thread's own
    final OutboxMetrics metrics = new OutboxMetrics();

    private Outbox(MonitorStorage storage, Clock clock, LongSupplier nanos, long backoffBaseMillis,
            long backoffMaxMillis, BooleanSupplier leading) {
        this.storage = storage;
        this.leading = leading;
        this.clock = clock;
        this.state = new OutboxState(storage::journalName);
        this.notified = state.notified;
        this.pending = state.pending;
        this.backoff = new ChannelBackoff(nanos, backoffBaseMillis, backoffMaxMillis);
        this.compaction = new OutboxCompaction(storage, this::snapshot);
    }

    /** Replays and compacts the journal of the one server (always the leader). */
    static Outbox open(MonitorStorage storage, Clock clock, LongSupplier nanos, long backoffBaseMillis,
            long backoffMaxMillis) throws IOException {
        return open(storage, clock, nanos, backoffBaseMillis, backoffMaxMillis, () -> true);
    }

    /**
     * Replays and compacts the journal; closing the outbox closes {@code storage}. Notices are
     * scheduled and delivered only while {@code leading}.
     */
    static Outbox open(MonitorStorage storage, Clock clock, LongSupplier nanos, long backoffBaseMillis,
            long backoffMaxMillis, BooleanSupplier leading) throws IOException {
        Outbox o = new Outbox(storage, clock, nanos, backoffBaseMillis, backoffMaxMillis, leading);
        storage.replayJournal(o::apply);
        o.compaction.onOpen();
        return o;
    }

    /** Which channels must confirm a notice, from the notice itself (a channel may be absent now). */
    static List<String> channelsFor(Notice n) {
        List<String> c = new ArrayList<>(2);
        if (!n.emailRecipients().isEmpty()) {
            c.add(NotificationChannel.MAIL);
        }
        if (n.snmp()) {
            c.add(NotificationChannel.SNMP);
        }
        return c;
    }

    synchronized void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /** Whether this server schedules and delivers notices now. */
    boolean leading() {
        return leading.getAsBoolean();
    }

    /** Applies a record another server appended, then wakes the delivery. */
    void applyFollowed(Map<String, Object> record) {
        Runnable listener;
        synchronized (this) {
            apply(record);
            listener = onChange;
        }
        listener.run();
    }

    /** Called on every change of {@link #leading()}'s lease, after the change is visible there. */
    void leadershipChanged() {
        leadershipChanges++; // one writer: the backend's leadership thread
    }

    /** Wakes the delivery, e.g. when this server became the leader. */
    void wake() {
        Runnable listener;
        synchronized (this) {
            listener = onChange;
        }
        listener.run();
    }

    // ---- notified state ----

    /** How far the notification has told about the object, or null when never. */
    synchronized Integer notified(String notification, long key) {
        Map<Long, Integer> m = notified.get(notification);
        return m == null ? null : m.get(key);
    }

    /** Makes the state records and the notices durable together (one fsync), then queues the notices. */
    void commit(List<StateRecord> states, List<Notice> notices) {
        if (states.isEmpty() && notices.isEmpty()) {
            return;
        }
        Runnable listener;
        synchronized (this) {
            List<Map<String, Object>> records = new ArrayList<>(states.size() + notices.size());
            for (StateRecord s : states) {
                records.add(Map.of("op", "state", "notification", s.notification(), "key", s.key(), "value",
                        s.value()));
            }
            for (Notice n : notices) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("op", "add");
                m.put("notice", NoticeCodec.toMap(n));
                m.put("channels", channelsFor(n));
                records.add(m);
            }
            storage.appendJournal(records);
            for (StateRecord s : states) {
                notified.computeIfAbsent(s.notification(), k -> new HashMap<>()).put(s.key(), s.value());
            }
            for (Notice n : notices) {
                List<String> channels = channelsFor(n);
                if (!channels.isEmpty()) {
                    pending.put(n.id(), new Pending(n, channels));
                }
            }
            listener = onChange;
        }
        listener.run();
    }

    /** Drops the state of a deleted notification. */
    synchronized void forget(String notification) {
        if (notified.remove(notification) != null) {
            write(Map.of("op", "forget", "notification", notification));
        }
    }

    synchronized int notifiedCount() {
        return notified.values().stream().mapToInt(Map::size).sum();
    }

    // ---- outbox view and admin actions ----

    synchronized List<OutboxEntry> entries() {
        List<OutboxEntry> list = new ArrayList<>(pending.size());
        for (Pending p : pending.values()) {
            list.add(new OutboxEntry(p.notice, List.copyOf(p.channels), p.attempts, p.lastError,
                    !p.failed.isEmpty(), p.lastAttempt));
        }
        return list;
    }

    synchronized Notice notice(String id) {
        Pending p = pending.get(id);
        return p == null ? null : p.notice;
    }

    boolean retry(String id) {
        Runnable listener;
        synchronized (this) {
            Pending p = pending.get(id);
            if (p == null) {
                return false;
            }
            write(Map.of("op", "retry", "id", id));
            p.failed.clear();
            for (String c : p.channels) {
                backoff.reset(c);
            }
            listener = onChange;
        }
        listener.run();
        return true;
    }

    synchronized boolean discard(String id) {
        if (pending.remove(id) == null) {
            return false;
        }
        write(Map.of("op", "discard", "id", id));
        return true;
    }

    synchronized int size() {
        return pending.size();
    }

    // ---- delivery ----

    /**
     * One pass over every channel that is present and not backing off; returns the nanoseconds until
     * the next backoff ends (Long.MAX_VALUE when nothing waits on a backoff).
     */
    long deliverRound(Function<String, NotificationChannel> channels) {
        long wait = Long.MAX_VALUE;
        long term = leadershipChanges; // read before leading(): a change after it is announced next round
        if (!leading()) {
            return wait; // woken when this server becomes the leader
        }
        if (term != announced) {
            // the line an operator looks for after "is the leader": without it, nothing on this server delivers
            announced = term;
            LOG.info("outbox: leading, " + size() + " notices to deliver");
        }
        compaction.ifDue();
        Set<String> names;
        synchronized (this) {
            names = new LinkedHashSet<>();
            for (Pending p : pending.values()) {
                names.addAll(p.channels);
            }
        }
        for (String name : names) {
            NotificationChannel channel = channels.apply(name);
            if (channel == null) {
                continue;
            }
            long remaining;
            synchronized (this) {
                remaining = backoff.remaining(name);
            }
            if (remaining > 0) {
                wait = Math.min(wait, remaining);
                continue;
            }
            long w = deliverChannel(name, channel);
            wait = Math.min(wait, w);
        }
        return wait;
    }

    private long deliverChannel(String name, NotificationChannel channel) {
        List<Pending> queue;
        synchronized (this) {
            queue = new ArrayList<>();
            for (Pending p : pending.values()) {
                if (p.channels.contains(name) && !p.failed.contains(name)) {
                    queue.add(p);
                }
            }
        }
        for (Pending p : queue) {
            synchronized (this) {
                if (pending.get(p.notice.id()) != p || !p.channels.contains(name)) {
                    continue; // discarded meanwhile
                }
            }
            if (!leading()) {
                return Long.MAX_VALUE; // the lease went to another server, which sends the rest
            }
            boolean wanted;
            try {
                wanted = channel.wants(p.notice);
            } catch (RuntimeException e) {
                wanted = true;
            }
            if (!wanted) {
                confirmed(p, name);
                continue;
            }
            try {
                channel.deliver(p.notice);
                metrics.delivered(name);
                confirmed(p, name);
                synchronized (this) {
                    backoff.reset(name);
                }
            } catch (DeliveryException | RuntimeException e) {
                metrics.failed(name);
                boolean permanent = e instanceof DeliveryException d && d.permanent();
                String message = name + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
                synchronized (this) {
                    p.attempts++;
                    p.lastError = message;
                    p.lastAttempt = clock.instant();
                    if (permanent) {
                        p.failed.add(name);
                        write(Map.of("op", "failed", "id", p.notice.id(), "channel", name, "error", message));
                        LOG.warning("notice " + p.notice.id() + " failed permanently, waits for an admin: " + message);
                        continue;
                    }
                    long delay = backoff.failed(name);
                    LOG.warning("notice " + p.notice.id() + " not delivered, retry in " + delay / 1_000_000 + " ms: "
                            + message);
                    return delay;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    private synchronized void confirmed(Pending p, String channel) {
        p.attempts++;
        p.lastAttempt = clock.instant();
        p.channels.remove(channel);
        if (p.channels.isEmpty()) {
            pending.remove(p.notice.id());
        }
        try {
            write(Map.of("op", "done", "id", p.notice.id(), "channel", channel));
        } catch (UncheckedIOException e) {
            // delivered all the same: not sending it again now; only a restart before the next write
            // that succeeds repeats it (same notice id), as for a delivery cut by a crash
            LOG.severe(e.getMessage() + "; notice " + p.notice.id() + " was delivered (" + channel + ")");
        }
    }

    // ---- journal ----

    private void write(Map<String, Object> record) {
        storage.appendJournal(List.of(record));
    }

    private void apply(Map<String, Object> record) {
        state.apply(record);
    }

    /** The records that rebuild the state as it is now. */
    private synchronized List<Map<String, Object>> snapshot() {
        return state.snapshot();
    }

    @Override
    public synchronized void close() throws IOException {
        storage.close();
    }
}
