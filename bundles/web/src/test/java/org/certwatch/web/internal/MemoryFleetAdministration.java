package org.certwatch.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.EnrolmentTokenState;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.fleet.User;

/**
 * The fleet's user and policy changes in memory, for the web's scope and permission rules (the fleet's own tests
 * cover storage and audit); what these tests do not use is unsupported.
 */
final class MemoryFleetAdministration implements FleetAdministration {
    private final Map<String, User> users;
    private final Map<String, String> passwords;
    private final Map<String, Integer> passwordSets;

    MemoryFleetAdministration(Map<String, User> users, Map<String, String> passwords, Map<String, Integer> passwordSets) {
        this.users = users;
        this.passwords = passwords;
        this.passwordSets = passwordSets;
    }

    @Override
    public User createUser(String name, String homeGroup, Set<Permission> permissions, char[] password, String actor) {
        if (users.containsKey(name)) {
            throw new IllegalArgumentException("user " + name + " exists already");
        }
        if (password.length < 8) {
            throw new IllegalArgumentException("a password needs at least 8 characters");
        }
        User u = new User(name, homeGroup, permissions, true, Instant.EPOCH);
        users.put(name, u);
        passwords.put(name, new String(password));
        return u;
    }

    @Override
    public User updateUser(String name, String homeGroup, Set<Permission> permissions, Boolean enabled, String actor) {
        User old = users.get(name);
        User u = new User(name, homeGroup == null ? old.homeGroup() : homeGroup,
                permissions == null ? old.permissions() : permissions, enabled == null ? old.enabled() : enabled, old.createdAt());
        users.put(name, u);
        return u;
    }

    @Override
    public void setPassword(String name, char[] password, String actor) {
        if (password.length < 8) {
            throw new IllegalArgumentException("a password needs at least 8 characters");
        }
        passwords.put(name, new String(password));
        passwordSets.merge(name, 1, Integer::sum);
    }

    @Override
    public void deleteUser(String name, String actor) {
        users.remove(name);
    }

    @Override
    public Group createGroup(String path, String description, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Group renameGroup(String path, String name, String description, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deleteGroup(String path, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Computer addComputer(String name, String group, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Computer moveComputer(long computerId, String group, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public EnrolmentToken createEnrolmentToken(String group, Duration validity, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public EnrolmentToken createEnrolmentToken(String group, Duration validity, int uses, String actor) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<EnrolmentTokenState> enrolmentTokens() {
        return List.of();
    }

    @Override
    public void revokeEnrolmentToken(String id, String actor) {
        throw new UnsupportedOperationException();
    }

    /** Policies as the fleet keeps them, with its refusals that the web turns into 409 and 422. */
    final Map<Long, Policy> policies = new java.util.TreeMap<>();
    /** The policies a running rollover needs (the fleet asks its rollover service). */
    final Set<Long> neededByRollover = new java.util.HashSet<>();
    private long nextPolicyId = 1; // never reused, as the fleet's

    @Override
    public Policy createPolicy(String group, Role component, long certificateId, long issuingCaId, List<Long> trustedCaIds,
            String description, String actor) {
        if (component == Role.SERVER || component == Role.MONITORED) {
            throw new IllegalArgumentException("a policy applies to AGENT, PROXY or MDM");
        }
        Policy p = new Policy(nextPolicyId++, group, component, certificateId, issuingCaId, trustedCaIds, description,
                Instant.EPOCH);
        policies.put(p.id(), p);
        return p;
    }

    @Override
    public Policy updatePolicy(long policyId, long certificateId, long issuingCaId, List<Long> trustedCaIds,
            String description, String actor) {
        Policy old = policies.get(policyId);
        if (neededByRollover.contains(policyId)) {
            throw new FleetConflictException("policy " + policyId + " cannot be changed: rollover 1 needs it");
        }
        Policy p = new Policy(policyId, old.group(), old.component(), certificateId, issuingCaId, trustedCaIds,
                description == null ? old.description() : description, old.createdAt());
        policies.put(policyId, p);
        return p;
    }

    @Override
    public void deletePolicy(long policyId, String actor) {
        if (neededByRollover.contains(policyId)) {
            throw new FleetConflictException("policy " + policyId + " cannot be deleted: rollover 1 needs it");
        }
        policies.remove(policyId);
    }

    @Override
    public List<Policy> policies() {
        return List.copyOf(policies.values());
    }

    @Override
    public Optional<PolicyState> policyState(long computerId) {
        return Optional.empty();
    }

    @Override
    public Optional<Policy> effectivePolicy(String group, Role component) {
        return policies.values().stream().filter(p -> p.component() == component && GroupPaths.contains(p.group(), group))
                .max(java.util.Comparator.<Policy>comparingInt(p -> p.group().length()).thenComparingLong(Policy::id));
    }

    @Override
    public int requestEarlyReplication(String group, String actor) {
        throw new UnsupportedOperationException();
    }
}
