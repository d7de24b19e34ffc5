package org.certwatch.fleet.internal.rollover;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverStep;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.storage.RolloverRecord;

/**
 * Where a rollover stands, derived from the fleet's computers each time it is asked: per targeted
 * computer READY / WAITING / NEVER_SEEN, the computers step 4 still waits for, the ones still on the old
 * CA (step 6), and the {@link Rollover} view with the blockers of the next step.
 */
final class RolloverProgress {
    /** Refusals name at most this many computers; the status lists them all. */
    static final int NAMED = 50;

    private final Computers computers;
    private final CertificateStore store;
    private final Clock clock;

    RolloverProgress(Computers computers, CertificateStore store, Clock clock) {
        this.computers = computers;
        this.store = store;
        this.clock = clock;
    }

    boolean issuedByOld(RolloverRecord r, ComputerRecord c) {
        if (c.lastCaId != 0) {
            return c.lastCaId == r.oldCaId;
        }
        // a snapshot from before the CA was tracked: ask the store
        return c.certificateId != 0 && store.certificate(c.certificateId).map(x -> x.caId() == r.oldCaId).orElse(false);
    }

    List<String> notReady(RolloverRecord r) {
        List<String> out = new ArrayList<>();
        for (RolloverComputer c : computers(r)) {
            if (c.readiness() != RolloverComputer.Readiness.READY) {
                out.add(c.name() + (c.readiness() == RolloverComputer.Readiness.NEVER_SEEN ? " (not seen since the policy)"
                        : " (" + c.replicationsSincePolicy() + " replication(s), " + (c.applied() ? "applied" : "not applied")
                                + ")"));
            }
        }
        return out;
    }

    List<String> stragglers(RolloverRecord r) {
        return computers.inspect(all -> all.stream().filter(c -> issuedByOld(r, c)).map(c -> c.name).sorted().toList());
    }

    List<RolloverComputer> computers(RolloverRecord r) {
        return computers.inspect(all -> {
            List<RolloverComputer> out = new ArrayList<>();
            for (ComputerRecord c : all) {
                Long assigned = r.targets.get(c.id);
                if (assigned == null) {
                    continue;
                }
                boolean ours = r.policyIds.contains(c.policyId);
                int count = ours ? c.replicationsSincePolicy : 0;
                boolean applied = ours && c.policyState == PolicyState.State.APPLIED
                        && c.policyCertificateId == assigned;
                RolloverComputer.Readiness readiness = applied && count >= 2 ? RolloverComputer.Readiness.READY
                        : count == 0 ? RolloverComputer.Readiness.NEVER_SEEN : RolloverComputer.Readiness.WAITING;
                out.add(new RolloverComputer(c.id, c.name, c.group, count, applied, c.lastCaId, c.lastReplication,
                        readiness));
            }
            return out;
        });
    }

    Rollover view(RolloverRecord r) {
        List<String> blockers = List.of();
        RolloverStep next = r.done() ? null : RolloverStep.of(r.completed + 1);
        if (next == RolloverStep.WAIT_FOR_REPLICATION
                && (r.waitUntil == null || clock.instant().isBefore(r.waitUntil))) {
            blockers = named(notReady(r));
        } else if (next == RolloverStep.RETIRE_OLD_CA) {
            blockers = named(stragglers(r).stream().map(n -> n + " (last authenticated with the old CA)").toList());
        }
        return new Rollover(r.id, r.oldCaId, r.newCaId, r.completed, r.done() ? Rollover.State.DONE
                : Rollover.State.RUNNING, List.of(r.steps), r.startedBy, r.startedAt, r.oldServerCertificateId,
                r.newServerCertificateId, r.policyIds, computers(r), blockers, r.waitUntil, r.forcedBy, r.forceReason);
    }

    static List<String> named(List<String> names) {
        if (names.size() <= NAMED) {
            return names;
        }
        List<String> out = new ArrayList<>(names.subList(0, NAMED));
        out.add("… and " + (names.size() - NAMED) + " more");
        return out;
    }
}
