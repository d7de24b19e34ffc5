package org.certwatch.fleet.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.EnrolmentTokenState;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.fleet.User;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.computers.EnrolmentTokens;
import org.certwatch.fleet.internal.directory.Groups;
import org.certwatch.fleet.internal.directory.Users;
import org.certwatch.fleet.internal.policy.Policies;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link FleetAdministration} (one API interface for every admin change) over the components that own each part. */
@Component(service = FleetAdministration.class)
public final class Administration implements FleetAdministration {
    private final Groups groups;
    private final Users users;
    private final Computers computers;
    private final EnrolmentTokens tokens;
    private final Policies policies;

    @Activate
    public Administration(@Reference(name = "groups") Groups groups, @Reference(name = "users") Users users, @Reference(name = "computers") Computers computers,
            @Reference(name = "tokens") EnrolmentTokens tokens, @Reference(name = "policies") Policies policies) {
        this.groups = groups;
        this.users = users;
        this.computers = computers;
        this.tokens = tokens;
        this.policies = policies;
    }

    @Override
    public Group createGroup(String path, String description, String actor) {
        return groups.createGroup(path, description, actor);
    }

    @Override
    public void deleteGroup(String path, String actor) {
        groups.deleteGroup(path, actor);
    }

    @Override
    public Group renameGroup(String path, String name, String description, String actor) {
        return groups.renameGroup(path, name, description, actor);
    }

    @Override
    public User createUser(String name, String homeGroup, Set<Permission> permissions, char[] password, String actor) {
        return users.createUser(name, homeGroup, permissions, password, actor);
    }

    @Override
    public User updateUser(String name, String homeGroup, Set<Permission> permissions, Boolean enabled, String actor) {
        return users.updateUser(name, homeGroup, permissions, enabled, actor);
    }

    @Override
    public void setPassword(String name, char[] password, String actor) {
        users.setPassword(name, password, actor);
    }

    @Override
    public void deleteUser(String name, String actor) {
        users.deleteUser(name, actor);
    }

    @Override
    public Computer addComputer(String name, String group, String actor) {
        return computers.addComputer(name, group, actor);
    }

    @Override
    public Computer moveComputer(long computerId, String group, String actor) {
        return computers.moveComputer(computerId, group, actor);
    }

    @Override
    public EnrolmentToken createEnrolmentToken(String group, Duration validity, String actor) {
        return tokens.create(group, validity, 1, actor);
    }

    @Override
    public EnrolmentToken createEnrolmentToken(String group, Duration validity, int uses, String actor) {
        return tokens.create(group, validity, uses, actor);
    }

    @Override
    public List<EnrolmentTokenState> enrolmentTokens() {
        return tokens.list();
    }

    @Override
    public void revokeEnrolmentToken(String id, String actor) {
        tokens.revoke(id, actor);
    }

    @Override
    public Policy createPolicy(String group, Role component, long certificateId, long issuingCaId,
            List<Long> trustedCaIds, String description, String actor) {
        return policies.create(group, component, certificateId, issuingCaId, trustedCaIds, description, actor);
    }

    @Override
    public Policy updatePolicy(long policyId, long certificateId, long issuingCaId, List<Long> trustedCaIds,
            String description, String actor) {
        return policies.update(policyId, certificateId, issuingCaId, trustedCaIds, description, actor);
    }

    @Override
    public void deletePolicy(long policyId, String actor) {
        policies.delete(policyId, actor);
    }

    @Override
    public List<Policy> policies() {
        return policies.policies();
    }

    @Override
    public Optional<PolicyState> policyState(long computerId) {
        return policies.policyState(computerId);
    }

    @Override
    public Optional<Policy> effectivePolicy(String group, Role component) {
        return policies.effective(group, component);
    }

    @Override
    public int requestEarlyReplication(String group, String actor) {
        return computers.requestEarlyReplication(group, actor);
    }
}
