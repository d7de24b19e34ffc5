package org.certwatch.api.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.certwatch.api.Role;

/**
 * Changes to the fleet: groups, users, computers, policies, enrolment tokens. Every change is durable
 * when it returns and audited; refusals throw {@link IllegalArgumentException} with the reason and
 * change nothing. {@code actor} names who asks, for the audit log.
 */
public interface FleetAdministration {
    Group createGroup(String path, String description, String actor);

    /** Refused while the group has subgroups, users, computers or policies. */
    void deleteGroup(String path, String actor);

    /**
     * Renames the group at {@code path} within its parent: its last segment becomes {@code name}, its
     * subgroups follow, its description becomes {@code description} (null keeps it); the groups renamed
     * get short names (SNMPv3 contexts) from their new paths. {@code All} and {@code All/Lost & found}
     * cannot be renamed; a name in use is refused with {@link FleetConflictException}. Recorded as a
     * numbered {@link GroupRename} ({@link GroupRenames}) and posted as
     * {@link org.certwatch.api.Topics#GROUP_RENAMED}.
     *
     * @since 1.6
     */
    Group renameGroup(String path, String name, String description, String actor);

    User createUser(String name, String homeGroup, Set<Permission> permissions, char[] password, String actor);

    /** Changes what is given (null keeps it): home group, permissions, whether the user may log in. */
    User updateUser(String name, String homeGroup, Set<Permission> permissions, Boolean enabled, String actor);

    void setPassword(String name, char[] password, String actor);

    void deleteUser(String name, String actor);

    /** Adds a computer before its agent ever replicated (its agent then binds to it by name). */
    Computer addComputer(String name, String group, String actor);

    Computer moveComputer(long computerId, String group, String actor);

    EnrolmentToken createEnrolmentToken(String group, Duration validity, String actor);

    /** A token that enrols up to {@code uses} agents until it expires. */
    EnrolmentToken createEnrolmentToken(String group, Duration validity, int uses, String actor);

    /** The tokens not yet expired, used up ones included (so a second use is told why it fails). */
    List<EnrolmentTokenState> enrolmentTokens();

    void revokeEnrolmentToken(String id, String actor);

    /** Exactly one of {@code certificateId} and {@code issuingCaId} is non-zero. */
    Policy createPolicy(String group, Role component, long certificateId, long issuingCaId, List<Long> trustedCaIds,
            String description, String actor);

    /**
     * Changes a policy's key material, trusted CAs and description; its group and component stay. Every
     * computer it applies to receives it again (its replications since the policy count from zero).
     * Refused with {@link FleetConflictException} while a running rollover needs the policy.
     */
    Policy updatePolicy(long policyId, long certificateId, long issuingCaId, List<Long> trustedCaIds, String description,
            String actor);

    /** Refused with {@link FleetConflictException} while a running rollover needs the policy. */
    void deletePolicy(long policyId, String actor);

    List<Policy> policies();

    Optional<PolicyState> policyState(long computerId);

    /** The policy that applies to a component in a group now: the deepest group's newest one. */
    Optional<Policy> effectivePolicy(String group, Role component);

    /** Asks the agents of the group (and below) to come back at the shortest interval, once. */
    int requestEarlyReplication(String group, String actor);
}
