package org.certwatch.fleet.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.rollover.RolloverStep;
import org.certwatch.api.rollover.StepState;

/**
 * What a rollover has done so far, as kept in {@code rollovers.json}: the ids of what its steps created,
 * so every step can be re-run after a crash and find its own work instead of repeating it. Guarded by the
 * {@link Rollovers} lock.
 */
final class RolloverRecord {
    final long id;
    final long oldCaId;
    final String startedBy;
    final Instant startedAt;
    long newCaId;
    int completed;
    long oldServerCertificateId;
    long newServerCertificateId;
    final List<Long> policyIds = new ArrayList<>();
    /** computer id → the certificate step 2 issued for it. */
    final Map<Long, Long> targets = new LinkedHashMap<>();
    final StepState[] steps = new StepState[6];
    Instant waitUntil;
    /** The new peer certificates' validity in seconds, 0 for the store's default. */
    long certificateValiditySeconds;
    String forcedBy = "";
    String forceReason = "";

    RolloverRecord(long id, long oldCaId, String startedBy, Instant startedAt) {
        this.id = id;
        this.oldCaId = oldCaId;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        for (RolloverStep s : RolloverStep.values()) {
            steps[s.ordinal()] = new StepState(s, StepState.Status.PENDING, null, "", "");
        }
    }

    boolean done() {
        return completed >= 6;
    }

    /** The description the store objects of this rollover carry, so a re-run finds them. */
    String tag() {
        return "rollover " + id;
    }
}
