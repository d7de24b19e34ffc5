package org.certwatch.web.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.fleet.UserScope;

/**
 * Policies for the pages and the API, on the fleet's {@link FleetAdministration}: a user sees the
 * policies of their home group and below ({@code COMPUTERS_READ}) and makes, changes and deletes them
 * there with {@code COMPUTERS_WRITE} and {@code CERTIFICATES_USE}. A policy names only certificates and
 * CAs the caller sees; anything else — like a group outside their scope — is "unknown" (422), so nothing
 * outside can be probed. The fleet's refusals become 422 (what the body names cannot be used) or 409 (a
 * running rollover needs the policy); the fleet audits each change, its refusals included.
 */
final class PolicyAdmin {
    /** A policy's fields in a request; on a change, group and component may be left out (they never change). */
    record Body(String group, String component, Long certificateId, Long issuingCaId, List<Long> trustedCaIds,
            String description) {
    }

    /** A policy as the API shows it; the id it does not name is absent. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PolicyJson(long id, String group, String component, Long certificateId, Long issuingCaId,
            List<Long> trustedCaIds, String description, String createdAt) {
        static PolicyJson of(Policy p) {
            return new PolicyJson(p.id(), p.group(), p.component().name(), p.certificateId() == 0 ? null : p.certificateId(),
                    p.issuingCaId() == 0 ? null : p.issuingCaId(), p.trustedCaIds(), p.description(), ApiJson.iso(p.createdAt()));
        }
    }

    /**
     * The policy that applies to a computer's agent now and where the computer stands with it: the state
     * the fleet recorded when it is that policy's, {@code NOT_SENT} while the agent has not replicated
     * since the policy (or its change).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record AppliedPolicy(long id, String group, String state, String reason, String since) {
    }

    private final Services services;
    private final Actions actions;

    PolicyAdmin(Services services, Actions actions) {
        this.services = services;
        this.actions = actions;
    }

    private FleetAdministration fleet() {
        return services.administration().orElseThrow(() -> Problem.unavailable(
                "policies are not available: the fleet bundle is not running"));
    }

    private void requireRead(UserScope scope, String from) {
        if (!scope.has(Permission.COMPUTERS_READ)) {
            actions.audit(scope, "policy.read", "", "refused: no COMPUTERS_READ permission", from);
            throw Problem.forbidden("policies need the COMPUTERS_READ permission").audited();
        }
    }

    void requireWrite(UserScope scope, String action, String from) {
        if (!scope.has(Permission.COMPUTERS_WRITE) || !scope.has(Permission.CERTIFICATES_USE)) {
            actions.audit(scope, action, "", "refused: needs COMPUTERS_WRITE and CERTIFICATES_USE", from);
            throw Problem.forbidden("changing policies needs the COMPUTERS_WRITE and CERTIFICATES_USE permissions").audited();
        }
    }

    static boolean canWrite(UserScope scope) {
        return scope.has(Permission.COMPUTERS_WRITE) && scope.has(Permission.CERTIFICATES_USE);
    }

    /** The policies in the caller's scope, by group, then oldest first. */
    List<Policy> policies(UserScope scope, String from) {
        requireRead(scope, from);
        return services.administration().map(FleetAdministration::policies).orElse(List.of()).stream()
                .filter(p -> scope.covers(p.group()))
                .sorted(Comparator.comparing(Policy::group).thenComparingLong(Policy::id)).toList();
    }

    Policy policy(UserScope scope, long id, String from) {
        return policies(scope, from).stream().filter(p -> p.id() == id).findFirst()
                .orElseThrow(() -> Problem.notFound("policy " + id));
    }

    Policy create(UserScope scope, Body body, String from) {
        requireWrite(scope, "policy.create", from);
        String group = unprocessable(() -> actions.groups.orHome(scope, body.group(), "field 'group'"));
        if (body.component() == null || body.component().isBlank()) {
            // Actions.parse would offer every role, SERVER and MONITORED included, which a policy refuses
            throw Problem.badRequest("field 'component' is required; use one of AGENT, PROXY, MDM");
        }
        Role component = Actions.parse(Role.class, body.component(), "component");
        long certificate = material(scope, body);
        List<Long> trusted = trusted(scope, body);
        return refused(() -> fleet().createPolicy(group, component, certificate, orZero(body.issuingCaId()), trusted,
                body.description() == null ? "" : body.description().trim(), scope.user()));
    }

    Policy update(UserScope scope, long id, Body body, String from) {
        requireWrite(scope, "policy.update", from);
        Policy old = policy(scope, id, from);
        if (body.group() != null && !body.group().trim().equals(old.group())
                || body.component() != null && Actions.parse(Role.class, body.component(), "component") != old.component()) {
            throw new Problem(422, "a policy's group and component cannot change: make a new policy and delete this one");
        }
        long certificate = material(scope, body);
        List<Long> trusted = trusted(scope, body);
        return refused(() -> fleet().updatePolicy(id, certificate, orZero(body.issuingCaId()), trusted,
                body.description() == null ? null : body.description().trim(), scope.user()));
    }

    void delete(UserScope scope, long id, String from) {
        requireWrite(scope, "policy.delete", from);
        policy(scope, id, from);
        refused(() -> {
            fleet().deletePolicy(id, scope.user());
            return id;
        });
    }

    /** The policy for a computer's agent now, or null when none applies (or the fleet is not running). */
    AppliedPolicy applied(Computer c) {
        return services.administration().flatMap(fleet -> fleet.effectivePolicy(c.group(), Role.AGENT).map(p -> {
            PolicyState s = fleet.policyState(c.id()).orElse(null);
            boolean recorded = s != null && s.policyId() == p.id() && s.state() != PolicyState.State.NONE;
            return new AppliedPolicy(p.id(), p.group(), recorded ? s.state().name() : "NOT_SENT",
                    recorded && !s.reason().isEmpty() ? s.reason() : null,
                    recorded && s.at() != null ? s.at().toString() : null);
        })).orElse(null);
    }

    /** The certificate the body hands out (0 when a CA issues one per computer), checked to be one the caller sees. */
    private long material(UserScope scope, Body body) {
        long certificate = orZero(body.certificateId());
        long ca = orZero(body.issuingCaId());
        if ((certificate == 0) == (ca == 0)) {
            throw new Problem(422, "a policy names either 'certificateId' (one certificate for every computer)"
                    + " or 'issuingCaId' (a certificate issued per computer)");
        }
        if (certificate != 0 && services.store().certificate(certificate)
                .filter(c -> scope.seesCertificatesOf(c.homeGroup())).isEmpty()) {
            throw new Problem(422, "field 'certificateId': unknown certificate " + certificate);
        }
        if (ca != 0) {
            requireCa(scope, ca, "issuingCaId");
        }
        return certificate;
    }

    private List<Long> trusted(UserScope scope, Body body) {
        List<Long> ids = new ArrayList<>();
        for (Long id : body.trustedCaIds() == null ? List.<Long>of() : body.trustedCaIds()) {
            if (id == null) {
                throw new Problem(422, "field 'trustedCaIds': unknown CA null");
            }
            requireCa(scope, id, "trustedCaIds");
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private void requireCa(UserScope scope, long id, String field) {
        if (services.store().ca(id).filter(ca -> scope.seesCertificatesOf(ca.homeGroup())).isEmpty()) {
            throw new Problem(422, "field '" + field + "': unknown CA " + id);
        }
    }

    private static long orZero(Long id) {
        return id == null ? 0 : id;
    }

    /** A group the caller may not name is input that cannot be processed (422), like an unknown certificate. */
    private static String unprocessable(Supplier<String> check) {
        try {
            return check.get();
        } catch (Problem p) {
            throw new Problem(p.status() == 400 ? 422 : p.status(), p.title());
        }
    }

    /** The fleet's refusals, already audited by it: a conflict (409) or what the body names cannot be used (422). */
    private static <T> T refused(Supplier<T> change) {
        try {
            return change.get();
        } catch (FleetConflictException e) {
            throw new Problem(409, e.getMessage()).audited();
        } catch (IllegalArgumentException e) {
            throw new Problem(422, e.getMessage()).audited();
        }
    }
}
