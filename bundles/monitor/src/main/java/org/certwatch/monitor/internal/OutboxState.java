package org.certwatch.monitor.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.certwatch.api.notify.Notice;

/**
 * What the outbox journal's records build: the "already notified" state (how far each notification has told about
 * each object) and the notices still to deliver, with the channels that have not confirmed them. {@link #apply}
 * replays one record, {@link #snapshot} writes the records that rebuild the whole of it (compaction). Not
 * thread-safe: the {@link Outbox} that owns it guards it with its monitor.
 */
final class OutboxState {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor.outbox");

    static final class Pending {
        final Notice notice;
        final LinkedHashSet<String> channels;
        final Set<String> failed = new TreeSet<>();
        int attempts;
        String lastError = "";
        Instant lastAttempt;

        Pending(Notice notice, List<String> channels) {
            this.notice = notice;
            this.channels = new LinkedHashSet<>(channels);
        }
    }

    final Map<String, Map<Long, Integer>> notified = new HashMap<>();
    final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
    /** The journal's name, for the line about a record this release does not know. */
    private final Supplier<String> journalName;

    OutboxState(Supplier<String> journalName) {
        this.journalName = journalName;
    }

    @SuppressWarnings("unchecked")
    void apply(Map<String, Object> m) {
        String op = String.valueOf(m.get("op"));
        switch (op) {
            case "state" -> notified.computeIfAbsent((String) m.get("notification"), k -> new HashMap<>())
                    .put(((Number) m.get("key")).longValue(), ((Number) m.get("value")).intValue());
            case "add" -> {
                Notice n = NoticeCodec.fromMap((Map<String, Object>) m.get("notice"));
                List<String> channels = (List<String>) m.get("channels");
                Pending p = new Pending(n, channels);
                Object failed = m.get("failed");
                if (failed instanceof List<?> f) {
                    for (Object o : f) {
                        p.failed.add(String.valueOf(o));
                    }
                }
                Object error = m.get("lastError");
                if (error != null) {
                    p.lastError = error.toString();
                }
                if (!p.channels.isEmpty()) {
                    pending.put(n.id(), p);
                }
            }
            case "done" -> {
                Pending p = pending.get((String) m.get("id"));
                if (p != null) {
                    p.channels.remove((String) m.get("channel"));
                    if (p.channels.isEmpty()) {
                        pending.remove(p.notice.id());
                    }
                }
            }
            case "failed" -> {
                Pending p = pending.get((String) m.get("id"));
                if (p != null) {
                    p.failed.add((String) m.get("channel"));
                    p.lastError = String.valueOf(m.get("error"));
                }
            }
            case "retry" -> {
                Pending p = pending.get((String) m.get("id"));
                if (p != null) {
                    p.failed.clear();
                }
            }
            case "discard" -> pending.remove((String) m.get("id"));
            case "forget" -> notified.remove((String) m.get("notification"));
            case SharedMonitorStorage.CHECKPOINT -> {
                // a compacted snapshot follows: it is the whole state, whatever records before it were missed
                notified.clear();
                pending.clear();
            }
            default -> LOG.warning("outbox journal " + journalName.get() + ": unknown record " + op + " ignored");
        }
    }

    /** The records that rebuild the state as it is now. */
    List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> records = new ArrayList<>();
        for (Map.Entry<String, Map<Long, Integer>> e : notified.entrySet()) {
            for (Map.Entry<Long, Integer> s : e.getValue().entrySet()) {
                records.add(Map.of("op", "state", "notification", e.getKey(), "key", s.getKey(), "value",
                        s.getValue()));
            }
        }
        for (Pending p : pending.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("op", "add");
            m.put("notice", NoticeCodec.toMap(p.notice));
            m.put("channels", List.copyOf(p.channels));
            m.put("failed", List.copyOf(p.failed));
            m.put("lastError", p.lastError);
            records.add(m);
        }
        return records;
    }
}
