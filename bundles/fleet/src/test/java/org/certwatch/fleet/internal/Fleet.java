package org.certwatch.fleet.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.computers.EnrolmentTokens;
import org.certwatch.fleet.internal.directory.ApiTokenBook;
import org.certwatch.fleet.internal.directory.Groups;
import org.certwatch.fleet.internal.directory.ScopedViews;
import org.certwatch.fleet.internal.directory.Users;
import org.certwatch.fleet.internal.policy.Policies;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.FileFleetStorage;
import org.certwatch.fleet.internal.storage.FleetStorage;
import org.osgi.service.event.EventAdmin;

/**
 * The fleet's components wired as DS wires them (without the flusher: tests flush when they mean to),
 * with the services' methods in one place so a test reads like a user of the fleet.
 */
final class Fleet {
    final FleetState state;
    final Groups groups;
    final Users users;
    final Computers computers;
    final EnrolmentTokens tokens;
    final Policies policies;
    final ScopedViews views;
    final Administration admin;
    final ApiTokenBook apiTokens;

    Fleet(Path folder, CertificateStore store, AuditLog audit, Clock clock, EventAdmin events, char[] adminPassword)
            throws IOException {
        this(new FileFleetStorage(folder), store, audit, clock, events, adminPassword);
    }

    Fleet(FleetStorage storage, CertificateStore store, AuditLog audit, Clock clock, EventAdmin events,
            char[] adminPassword) throws IOException {
        state = new FleetState(storage, audit);
        state.bindClock(clock);
        state.eventAdmin = events;
        state.load();
        groups = new Groups(state);
        users = new Users(state, 10_000);
        users.createFirstAdmin(adminPassword);
        computers = new Computers(state, store);
        tokens = new EnrolmentTokens(state, store);
        policies = new Policies(state, store);
        views = new ScopedViews(state, store);
        admin = new Administration(groups, users, computers, tokens, policies);
        apiTokens = new ApiTokenBook(state);
    }

    Group createGroup(String path, String description, String actor) {
        return admin.createGroup(path, description, actor);
    }

    void deleteGroup(String path, String actor) {
        admin.deleteGroup(path, actor);
    }

    Optional<Group> group(String path) {
        return groups.group(path);
    }

    List<Group> groups(UserScope scope) {
        return views.groups(scope);
    }

    User createUser(String name, String homeGroup, Set<Permission> permissions, char[] password, String actor) {
        return admin.createUser(name, homeGroup, permissions, password, actor);
    }

    void setPassword(String name, char[] password, String actor) {
        admin.setPassword(name, password, actor);
    }

    void deleteUser(String name, String actor) {
        admin.deleteUser(name, actor);
    }

    Optional<User> authenticate(String name, char[] password) {
        return users.authenticate(name, password);
    }

    Optional<String> passwordVersion(String name) {
        return users.passwordVersion(name);
    }

    Optional<User> user(String name) {
        return users.user(name);
    }

    Computer addComputer(String name, String group, String actor) {
        return admin.addComputer(name, group, actor);
    }

    Optional<Computer> computer(long id) {
        return computers.computer(id);
    }

    Optional<Computer> computerByName(String name) {
        return computers.computerByName(name);
    }

    List<Computer> computers(UserScope scope) {
        return views.computers(scope);
    }

    int requestEarlyReplication(String group, String actor) {
        return admin.requestEarlyReplication(group, actor);
    }

    List<String> blockingReasons(CaInfo ca) {
        return computers.blockingReasons(ca);
    }

    EnrolmentToken createEnrolmentToken(String group, Duration validity, int uses, String actor) {
        return tokens.create(group, validity, uses, actor);
    }

    Policy createPolicy(String group, Role component, long certificateId, long issuingCaId, List<Long> trustedCaIds,
            String description, String actor) {
        return admin.createPolicy(group, component, certificateId, issuingCaId, trustedCaIds, description, actor);
    }

    List<Policy> policies() {
        return admin.policies();
    }

    Optional<PolicyState> policyState(long computerId) {
        return admin.policyState(computerId);
    }

    List<CertificateInfo> certificates(UserScope scope) {
        return views.certificates(scope);
    }

    List<CaInfo> cas(UserScope scope) {
        return views.cas(scope);
    }
}
