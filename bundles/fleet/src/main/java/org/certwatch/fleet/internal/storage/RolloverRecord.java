package org.certwatch.fleet.internal.storage;

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
 * rollover service's lock.
 */
public final class RolloverRecord {
    public final long id;
    public final long oldCaId;
    public final String startedBy;
    public final Instant startedAt;
    public long newCaId;
    public int completed;
    public long oldServerCertificateId;
    public long newServerCertificateId;
    public final List<Long> policyIds = new ArrayList<>();
    /** computer id → the certificate step 2 issued for it. */
    public final Map<Long, Long> targets = new LinkedHashMap<>();
    public final StepState[] steps = new StepState[6];
    public Instant waitUntil;
    /** The new peer certificates' validity in seconds, 0 for the store's default. */
    public long certificateValiditySeconds;
    public String forcedBy = "";
    public String forceReason = "";

    public RolloverRecord(long id, long oldCaId, String startedBy, Instant startedAt) {
        this.id = id;
        this.oldCaId = oldCaId;
        this.startedBy = startedBy;
        this.startedAt = startedAt;
        for (RolloverStep s : RolloverStep.values()) {
            steps[s.ordinal()] = new StepState(s, StepState.Status.PENDING, null, "", "");
        }
    }

    public boolean done() {
        return completed >= 6;
    }

    /** The description the store objects of this rollover carry, so a re-run finds them. */
    public String tag() {
        return "rollover " + id;
    }
}
