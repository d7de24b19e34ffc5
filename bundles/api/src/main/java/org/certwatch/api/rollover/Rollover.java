package org.certwatch.api.rollover;

import java.time.Instant;
import java.util.List;

/**
 * A CA rollover: replacing {@code oldCaId} with {@code newCaId} in six gated steps.
 *
 * @param id never reused
 * @param newCaId 0 until step 1 is done
 * @param completed the last completed step, 0 before step 1
 * @param state RUNNING until step 6 is done, then DONE
 * @param steps the six steps in order
 * @param oldServerCertificateId the server certificate when the rollover started (0 if not from the old CA)
 * @param newServerCertificateId the one step 2 issued, 0 if none
 * @param policyIds the policies step 3 created
 * @param computers the targeted computers (step 2 on): those whose agent certificate the old CA issued
 * @param blockers why the next step would be refused now, naming computers or certificates; empty when
 *     it may go ahead
 * @param waitUntil when step 4 is satisfied by time alone (policy time + configured wait), null before step 3
 * @param forcedBy who forced step 6 over its gate, empty if nobody
 * @param forceReason why, as recorded
 */
public record Rollover(long id, long oldCaId, long newCaId, int completed, State state, List<StepState> steps,
        String startedBy, Instant startedAt, long oldServerCertificateId, long newServerCertificateId,
        List<Long> policyIds, List<RolloverComputer> computers, List<String> blockers, Instant waitUntil,
        String forcedBy, String forceReason) {
    public enum State { RUNNING, DONE }

    public Rollover {
        steps = List.copyOf(steps);
        policyIds = List.copyOf(policyIds);
        computers = List.copyOf(computers);
        blockers = List.copyOf(blockers);
    }

    /** The next step to perform, or null when done. */
    public RolloverStep next() {
        return completed >= 6 ? null : RolloverStep.of(completed + 1);
    }

    public long count(RolloverComputer.Readiness readiness) {
        return computers.stream().filter(c -> c.readiness() == readiness).count();
    }
}
