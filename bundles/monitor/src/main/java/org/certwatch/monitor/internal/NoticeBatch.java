package org.certwatch.monitor.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.notify.Notice;

/**
 * The notices and "already notified" state one engine operation produces, committed to the outbox
 * together at its end (one flush). Reads of the state see the batch before the outbox.
 */
final class NoticeBatch {
    private final Outbox outbox;
    private final List<Notice> notices = new ArrayList<>();
    private final List<Outbox.StateRecord> states = new ArrayList<>();
    private final Map<String, Integer> overlay = new HashMap<>();

    NoticeBatch(Outbox outbox) {
        this.outbox = outbox;
    }

    /** How far {@code notification} has told about object {@code key}, or null when never. */
    Integer notified(String notification, long key) {
        Integer inBatch = overlay.get(notification + ":" + key);
        return inBatch != null ? inBatch : outbox.notified(notification, key);
    }

    void record(String notification, long key, int value, Notice n) {
        overlay.put(notification + ":" + key, value);
        states.add(new Outbox.StateRecord(notification, key, value));
        if (!Outbox.channelsFor(n).isEmpty()) {
            notices.add(n);
        }
    }

    void commit() {
        if (states.isEmpty() && notices.isEmpty()) {
            return;
        }
        if (!outbox.leading()) {
            // the leader schedules the same notices from the same state; a server that becomes the
            // leader re-evaluates everything against the state it followed
            states.clear();
            notices.clear();
            overlay.clear();
            return;
        }
        // on failure (e.g. the disk is full) the batch stays and goes with the next commit: the entries
        // behind it are already re-planned past these thresholds, so dropping it would lose the notices
        outbox.commit(List.copyOf(states), List.copyOf(notices));
        states.clear();
        notices.clear();
        overlay.clear();
    }
}
