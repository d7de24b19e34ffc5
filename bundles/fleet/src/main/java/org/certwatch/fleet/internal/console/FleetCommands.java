package org.certwatch.fleet.internal.console;

import static org.certwatch.fleet.internal.console.Commands.arg;
import static org.certwatch.fleet.internal.console.Commands.run;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.felix.service.command.CommandSession;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.commons.console.ConsolePasswords;
import org.certwatch.commons.console.ConsolePasswords.Arguments;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.computers.EnrolmentTokens;
import org.certwatch.fleet.internal.directory.Groups;
import org.certwatch.fleet.internal.directory.Users;
import org.certwatch.fleet.internal.policy.Policies;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Gogo commands in scope {@code certwatch} for the fleet: groups, users, computers, enrolment tokens,
 * policies and the server certificate ({@link Commands} says why each is a function service of its own).
 */
@Component(service = {})
public final class FleetCommands {
    private static final String ACTOR = "console";
    private final Groups groups;
    private final Users users;
    private final Computers computers;
    private final EnrolmentTokens tokens;
    private final Policies policies;
    private final CertificateStore store;
    private final Commands commands;

    @Activate
    public FleetCommands(BundleContext context, @Reference(name = "groups") Groups groups, @Reference(name = "users") Users users,
            @Reference(name = "computers") Computers computers, @Reference(name = "tokens") EnrolmentTokens tokens, @Reference(name = "policies") Policies policies,
            @Reference(name = "store") CertificateStore store) {
        this.groups = groups;
        this.users = users;
        this.computers = computers;
        this.tokens = tokens;
        this.policies = policies;
        this.store = store;
        this.commands = new Commands(context);
    }

    @Activate
    void register() {
        Commands r = commands;
        r.add("enrol-token", "enrol-token GROUP [USES] [HOURS]: an enrolment token for agents of GROUP (printed once)",
                this::enrolToken);
        r.add("groups", "groups: the static groups", a -> groups());
        r.add("group-add", "group-add PATH: a new static group, e.g. All/Berlin", this::groupAdd);
        r.add("group-rename", "group-rename PATH NAME: the group's last segment becomes NAME (same parent; its subgroups"
                + " and everything in them follow, its SNMPv3 context gets the new short name)", this::groupRename);
        r.add("group-delete", "group-delete PATH: refused while a subgroup, user, computer or policy uses it",
                this::groupDelete);
        r.add("users", "users: the users with their home groups and permissions", a -> users());
        r.add("user-add", "user-add NAME GROUP PERMS|all|none [--password-file F]: a new user (PERMS comma-separated);"
                + " asks for the password twice, or reads it from F", this::userAdd);
        r.add("user-password", "user-password NAME [--password-file F]: sets a user's password; asks for it twice, or"
                + " reads it from F", (session, a) -> run(() -> {
            Arguments args = Arguments.of(a).atMost(1, "the password");
            String name = args.get(0, "NAME");
            users.setPassword(name, ConsolePasswords.chosen(session, args.passwordFile(), name + "'s new password"),
                    ACTOR);
            return "password of " + name + " set";
        }));
        r.add("user-delete", "user-delete NAME", a -> run(() -> {
            String name = arg(a, 0, "NAME");
            users.deleteUser(name, ACTOR);
            return "deleted user " + name;
        }));
        r.add("computers", "computers: the managed computers with their status", a -> computers());
        r.add("computer-add", "computer-add NAME GROUP: a computer before its agent first replicates",
                a -> run(() -> describe(computers.addComputer(arg(a, 0, "NAME"),
                arg(a, 1, "GROUP"), ACTOR))));
        r.add("policies", "policies", a -> policies());
        r.add("policy-add", "policy-add GROUP AGENT|PROXY|MDM certificate|ca ID [\"CA_ID,CA_ID\"]", this::policyAdd);
        r.add("policy-delete", "policy-delete ID", a -> run(() -> {
            policies.delete(Long.parseLong(arg(a, 0, "ID")), ACTOR);
            return "deleted policy " + a.get(0);
        }));
        r.add("server-cert", "server-cert [ID]: shows, or switches to, the server certificate", this::serverCert);
        r.add("early-replication", "early-replication GROUP: the group's agents come back at the early interval, once",
                a -> run(() -> "asked " + computers.requestEarlyReplication(arg(a, 0, "GROUP"),
                ACTOR) + " computers to replicate early"));
    }

    @Deactivate
    void unregister() {
        commands.removeAll();
    }

    /** enrol-token GROUP [USES] [HOURS] */
    String enrolToken(List<String> a) {
        return run(() -> {
            int uses = a.size() > 1 ? Integer.parseInt(a.get(1)) : 1;
            Duration validity = Duration.ofHours(a.size() > 2 ? Long.parseLong(a.get(2)) : 24);
            EnrolmentToken t = tokens.create(arg(a, 0, "GROUP"), validity, uses, ACTOR);
            return t.text();
        });
    }

    String groups() {
        return groups.groups().stream().map(g -> g.path() + " (" + g.shortName() + ")").collect(Collectors.joining("\n"));
    }

    String groupAdd(List<String> a) {
        return run(() -> {
            Group g = groups.createGroup(arg(a, 0, "PATH"), a.size() > 1 ? a.get(1) : "", ACTOR);
            return "created group " + g.path() + " (" + g.shortName() + ")";
        });
    }

    String groupRename(List<String> a) {
        return run(() -> {
            String path = arg(a, 0, "PATH");
            Group g = groups.renameGroup(path, arg(a, 1, "NAME"), null, ACTOR);
            return "renamed group " + path + " to " + g.path() + " (" + g.shortName() + ")";
        });
    }

    String groupDelete(List<String> a) {
        return run(() -> {
            String path = arg(a, 0, "PATH");
            groups.deleteGroup(path, ACTOR);
            return "deleted group " + path;
        });
    }

    String users() {
        return users.users().stream().map(u -> u.name() + " " + u.homeGroup() + " " + u.permissions())
                .collect(Collectors.joining("\n"));
    }

    /** user-add NAME GROUP PERMISSIONS(comma, or all) [--password-file F] */
    String userAdd(CommandSession session, List<String> all) {
        return run(() -> {
            Arguments args = Arguments.of(all).atMost(3, "the password");
            List<String> a = args.positional();
            String perms = arg(a, 2, "PERMISSIONS");
            Set<Permission> set = perms.equalsIgnoreCase("all") ? EnumSet.allOf(Permission.class)
                    : perms.equalsIgnoreCase("none") ? Set.of()
                    : Arrays.stream(perms.split(",")).map(p -> Permission.valueOf(p.trim().toUpperCase(Locale.ROOT)))
                            .collect(Collectors.toSet());
            String name = arg(a, 0, "NAME");
            String group = arg(a, 1, "GROUP");
            return "created user " + users.createUser(name, group, set,
                    ConsolePasswords.chosen(session, args.passwordFile(), name + "'s password"), ACTOR).name();
        });
    }

    String computers() {
        List<Computer> all = computers.computers();
        if (all.isEmpty()) {
            return "no computers";
        }
        return all.stream().map(this::describe).collect(Collectors.joining("\n"));
    }

    private String describe(Computer c) {
        PolicyState p = policies.policyState(c.id()).orElse(null);
        return c.id() + " " + c.name() + " group=" + c.group() + " certificate=" + c.certificateId() + " sha256="
                + c.lastCertificateFingerprint() + " last="
                + c.lastReplication() + " sincePolicy=" + c.replicationsSincePolicy()
                + (p == null || p.policyId() == 0 ? "" : " policy=" + p.policyId() + ":" + p.state()
                        + (p.reason().isEmpty() ? "" : "(" + p.reason() + ")"));
    }

    String policies() {
        List<Policy> all = policies.policies();
        return all.isEmpty() ? "no policies" : all.stream().map(FleetCommands::describe).collect(Collectors.joining("\n"));
    }

    private static String describe(Policy p) {
        return p.id() + " " + p.group() + " " + p.component() + (p.certificateId() != 0 ? " certificate="
                + p.certificateId() : " issuingCa=" + p.issuingCaId()) + " trust=" + p.trustedCaIds();
    }

    /** policy-add GROUP COMPONENT certificate|ca ID [TRUSTED_CA_IDS comma-separated] */
    String policyAdd(List<String> a) {
        return run(() -> {
            String kind = arg(a, 2, "certificate|ca");
            long id = Long.parseLong(arg(a, 3, "ID"));
            List<Long> trusted = a.size() > 4 ? Arrays.stream(a.get(4).split(",")).map(String::trim)
                    .filter(s -> !s.isEmpty()).map(Long::parseLong).toList() : List.of();
            boolean isCa = kind.equalsIgnoreCase("ca");
            if (!isCa && !kind.equalsIgnoreCase("certificate")) {
                throw new IllegalArgumentException("the third argument is 'certificate' or 'ca'");
            }
            Policy p = policies.create(arg(a, 0, "GROUP"), Role.valueOf(arg(a, 1, "COMPONENT").toUpperCase(Locale.ROOT)),
                    isCa ? 0 : id, isCa ? id : 0, trusted, "", ACTOR);
            return "created policy " + describe(p);
        });
    }

    /** server-cert [ID]: shows or sets the certificate the server presents */
    String serverCert(List<String> a) {
        return run(() -> {
            if (a.isEmpty()) {
                return store.serverCertificate().map(FleetCommands::describe).orElse("no server certificate");
            }
            CertificateInfo c = store.setServerCertificate(Long.parseLong(a.get(0)), ACTOR);
            return "server certificate is now " + describe(c);
        });
    }

    private static String describe(CertificateInfo c) {
        return c.id() + " " + c.subject() + " ca=" + c.caId() + " notAfter=" + c.notAfter();
    }
}
