package org.certwatch.testing.webusers.internal;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Test-only stand-in for the fleet bundle: users {@code alice} (All/Berlin) and {@code bob}
 * (All/Hamburg) in sibling groups with every certificate and computer permission, {@code reader}
 * (All/Berlin, read only) and {@code root} (All, everything); password = user name + "-password".
 * Every AGENT certificate in the store is a computer named after its host, in the certificate's group.
 */
@Component(service = {UserDirectory.class, GroupDirectory.class, ComputerRegistry.class})
public final class TestFleet implements UserDirectory, GroupDirectory, ComputerRegistry {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");
    private static final EnumSet<Permission> WORKER = EnumSet.of(Permission.CERTIFICATES_READ,
            Permission.CERTIFICATES_USE, Permission.CERTIFICATES_WRITE, Permission.COMPUTERS_READ, Permission.COMPUTERS_WRITE);
    private static final Map<String, User> USERS = Map.of(
            "alice", new User("alice", "All/Berlin", WORKER, true, CREATED),
            "bob", new User("bob", "All/Hamburg", WORKER, true, CREATED),
            "reader", new User("reader", "All/Berlin", EnumSet.of(Permission.CERTIFICATES_READ, Permission.COMPUTERS_READ),
                    true, CREATED),
            "root", new User("root", "All", EnumSet.allOf(Permission.class), true, CREATED));
    private static final List<Group> GROUPS = List.of(new Group("All", "all", "root"),
            new Group(Group.LOST_AND_FOUND, "lost", ""), new Group("All/Berlin", "berlin", ""),
            new Group("All/Hamburg", "hamburg", ""));

    private final CertificateStore store;

    @Activate
    public TestFleet(@Reference CertificateStore store) {
        this.store = store;
    }

    @Override
    public Optional<User> authenticate(String name, char[] password) {
        User u = USERS.get(name);
        return u != null && new String(password).equals(name + "-password") ? Optional.of(u) : Optional.empty();
    }

    @Override
    public List<User> users() {
        return List.copyOf(USERS.values());
    }

    @Override
    public Optional<User> user(String name) {
        return Optional.ofNullable(USERS.get(name));
    }

    @Override
    public List<Group> groups() {
        return GROUPS;
    }

    @Override
    public Optional<Group> group(String path) {
        return GROUPS.stream().filter(g -> g.path().equals(path)).findFirst();
    }

    @Override
    public Optional<Group> groupByShortName(String shortName) {
        return GROUPS.stream().filter(g -> g.shortName().equals(shortName)).findFirst();
    }

    @Override
    public List<Computer> computers() {
        return store.certificates(CertificateQuery.all().withRole(Role.AGENT)).stream().map(TestFleet::computer).toList();
    }

    @Override
    public Optional<Computer> computer(long id) {
        return store.certificate(id).filter(c -> c.role() == Role.AGENT).map(TestFleet::computer);
    }

    @Override
    public Optional<Computer> computerByName(String name) {
        return computers().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    /** The computer id is its certificate's id: stable and unique, enough for tests. */
    private static Computer computer(CertificateInfo c) {
        return new Computer(c.id(), c.host(), c.homeGroup(), c.id(), c.fingerprint(), c.createdAt(), c.createdAt(), 2,
                "test", c.host());
    }
}
