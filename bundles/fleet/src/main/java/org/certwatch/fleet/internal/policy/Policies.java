package org.certwatch.fleet.internal.policy;

import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.state.FleetState;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * Policies: a peer certificate (a shared one, or one issued per computer by a CA) and the CAs to trust,
 * for a component type on a group. The deepest group's newest policy applies to a computer.
 */
@Component(service = Policies.class)
public final class Policies {
    private final FleetState state;
    private final CertificateStore store;
    /**
     * The running rollovers, whose policies are refused changes: dynamic and optional, since the rollover
     * service itself needs this component (set by DS; tests set it directly).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile RolloverService rollovers;

    @Activate
    public Policies(@Reference(name = "state") FleetState state, @Reference(name = "store") CertificateStore store) {
        this.state = state;
        this.store = store;
    }

    /** Exactly one of {@code certificateId} and {@code issuingCaId} is non-zero. */
    public Policy create(String group, Role component, long certificateId, long issuingCaId, List<Long> trustedCaIds,
            String description, String actor) {
        return state.change(actor, "policy.create", "group:" + group, () -> {
            state.requireGroup(group);
            if (component == null || component == Role.SERVER || component == Role.MONITORED) {
                throw new IllegalArgumentException("a policy applies to AGENT, PROXY or MDM");
            }
            requireMaterial(certificateId, issuingCaId, trustedCaIds);
            Policy policy = new Policy(state.takePolicyId(), group, component, certificateId, issuingCaId,
                    trustedCaIds, description == null ? "" : description, state.clock().instant());
            state.policies.put(policy.id(), policy);
            state.save();
            return policy;
        });
    }

    /**
     * New key material, trusted CAs and description for a policy (its group and component stay, and so
     * does its id). The computers it was delivered to forget it first, durably, so each receives it again
     * at its next replication and counts replications from zero; a crash between that and the directory's
     * write leaves them receiving the old material once more, never keeping an outdated one as applied.
     */
    public Policy update(long policyId, long certificateId, long issuingCaId, List<Long> trustedCaIds, String description,
            String actor) {
        return state.change(actor, "policy.update", "policy:" + policyId, () -> {
            Policy old = existing(policyId);
            requireUnneeded(policyId, "changed");
            requireMaterial(certificateId, issuingCaId, trustedCaIds);
            long ticket = 0;
            for (ComputerRecord c : state.computers.values()) {
                if (c.policyId == policyId) {
                    c.policyId = 0;
                    c.policyCertificateId = 0;
                    c.policyState = PolicyState.State.NONE;
                    c.policyReason = "";
                    c.replicationsSincePolicy = 0;
                    ticket = state.changed(c);
                }
            }
            state.awaitStored(ticket);
            Policy policy = new Policy(policyId, old.group(), old.component(), certificateId, issuingCaId, trustedCaIds,
                    description == null ? old.description() : description, old.createdAt());
            state.policies.put(policyId, policy);
            state.save();
            return policy;
        });
    }

    private Policy existing(long policyId) {
        Policy policy = state.policies.get(policyId);
        if (policy == null) {
            throw new IllegalArgumentException("there is no policy " + policyId);
        }
        return policy;
    }

    /** Refuses, as a conflict, a change to a policy that a running rollover delivers its certificates through. */
    private void requireUnneeded(long policyId, String change) {
        RolloverService service = rollovers;
        if (service == null) {
            return; // without the rollover service no rollover runs that could need it
        }
        for (Rollover r : service.rollovers()) {
            if (r.state() == Rollover.State.RUNNING && r.policyIds().contains(policyId)) {
                throw new FleetConflictException("policy " + policyId + " cannot be " + change + ": rollover " + r.id()
                        + " of CA " + r.oldCaId() + " delivers its new certificates through it (step " + r.completed()
                        + " of 6 done); finish the rollover first");
            }
        }
    }

    /** What a policy hands out must exist and be usable: one certificate or one issuing CA, and CAs not deleted. */
    private void requireMaterial(long certificateId, long issuingCaId, List<Long> trustedCaIds) {
        if ((certificateId == 0) == (issuingCaId == 0)) {
            throw new IllegalArgumentException("a policy names either a certificate or an issuing CA");
        }
        if (certificateId != 0) {
            CertificateInfo c = store.certificate(certificateId)
                    .orElseThrow(() -> new IllegalArgumentException("there is no certificate " + certificateId));
            requireUsable(c);
        }
        if (issuingCaId != 0) {
            CaInfo ca = store.ca(issuingCaId)
                    .orElseThrow(() -> new IllegalArgumentException("there is no CA " + issuingCaId));
            if (ca.status() == CaStatus.DELETED || !ca.hasKey()) {
                throw new IllegalArgumentException("CA " + issuingCaId + " cannot issue (deleted or without key)");
            }
        }
        for (long caId : trustedCaIds) {
            CaInfo ca = store.ca(caId).orElseThrow(() -> new IllegalArgumentException("there is no CA " + caId));
            if (ca.status() == CaStatus.DELETED) {
                throw new IllegalArgumentException("CA " + caId + " is deleted");
            }
        }
    }

    /** Why a certificate cannot be handed out by a policy right now; throws with the reason. */
    public void requireUsable(CertificateInfo c) {
        if (!c.hasKey()) {
            throw new IllegalArgumentException("certificate " + c.id() + " has no key in the store");
        }
        if (c.revoked()) {
            throw new IllegalArgumentException("certificate " + c.id() + " is revoked");
        }
        if (!state.clock().instant().isBefore(c.notAfter())) {
            throw new IllegalArgumentException("certificate " + c.id() + " expired at " + c.notAfter());
        }
    }

    public void delete(long policyId, String actor) {
        state.change(actor, "policy.delete", "policy:" + policyId, () -> {
            existing(policyId);
            requireUnneeded(policyId, "deleted");
            state.policies.remove(policyId);
            state.save();
            return policyId;
        });
    }

    public List<Policy> policies() {
        try (FleetState.Held held = state.exclusive()) {
            return List.copyOf(state.policies.values());
        }
    }

    public Optional<PolicyState> policyState(long computerId) {
        ComputerRecord c = state.computers.get(computerId);
        if (c == null) {
            return Optional.empty();
        }
        try (FleetState.Held held = state.lock(c)) {
            return Optional.of(c.toPolicyState());
        }
    }

    /** {@link #effectivePolicy} for callers outside the fleet's locks (pages, the API). */
    public Optional<Policy> effective(String group, Role component) {
        try (FleetState.Held held = state.exclusive()) {
            return effectivePolicy(group, component);
        }
    }

    /**
     * The policy for a component in a group: the deepest group's newest one. The caller holds a computer's
     * lock or the fleet lock (policies change under every computer's lock).
     */
    public Optional<Policy> effectivePolicy(String group, Role component) {
        return state.policies.values().stream()
                .filter(p -> p.component() == component && GroupPaths.contains(p.group(), group))
                .max(Comparator.<Policy>comparingInt(p -> p.group().length()).thenComparingLong(Policy::id));
    }

    /**
     * Hands each computer the certificate issued for it under its group's new policy, so the policy
     * delivers that one instead of issuing another at the replication; the count since the policy restarts.
     */
    public void assignCertificates(Map<String, Long> policyByGroup, Map<Long, Long> certificateByComputer)
            throws IOException {
        try (FleetState.Held held = state.exclusive()) {
            Instant now = state.clock().instant();
            long ticket = 0;
            for (Map.Entry<Long, Long> e : certificateByComputer.entrySet()) {
                ComputerRecord c = state.computers.get(e.getKey());
                Long policy = c == null ? null : policyByGroup.get(c.group);
                if (policy == null || (c.policyId == policy && c.policyCertificateId == e.getValue())) {
                    continue;
                }
                c.policyId = policy;
                c.policyCertificateId = e.getValue();
                state.certificateBound(c, e.getValue());
                c.policyState = PolicyState.State.PENDING;
                c.policyReason = "";
                c.policyAt = now;
                c.replicationsSincePolicy = 0;
                ticket = state.changed(c);
            }
            state.awaitStored(ticket); // durable when the step returns
        }
    }
}
