package org.certwatch.fleet.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Gogo commands in scope {@code certwatch} for the fleet. Each is a {@code Function} service of its
 * own (Gogo cannot map {@code enrol-token} to a Java method name). Every command answers with text and
 * turns a refusal into its message.
 */
final class FleetCommands {
    private static final String ACTOR = "console";
    private final Fleet fleet;
    private final CertificateStore store;

    FleetCommands(Fleet fleet, CertificateStore store) {
        this.fleet = fleet;
        this.store = store;
    }

    List<ServiceRegistration<?>> register(BundleContext context) {
        List<ServiceRegistration<?>> r = new ArrayList<>();
        add(context, r, "enrol-token", this::enrolToken);
        add(context, r, "groups", a -> groups());
        add(context, r, "group-add", this::groupAdd);
        add(context, r, "group-delete", this::groupDelete);
        add(context, r, "users", a -> users());
        add(context, r, "user-add", this::userAdd);
        add(context, r, "user-password", a -> run(() -> {
            String name = arg(a, 0, "NAME");
            fleet.setPassword(name, arg(a, 1, "PASSWORD").toCharArray(), ACTOR);
            return "password of " + name + " set";
        }));
        add(context, r, "user-delete", a -> run(() -> {
            String name = arg(a, 0, "NAME");
            fleet.deleteUser(name, ACTOR);
            return "deleted user " + name;
        }));
        add(context, r, "computers", a -> computers());
        add(context, r, "computer-add", a -> run(() -> describe(fleet.addComputer(arg(a, 0, "NAME"),
                arg(a, 1, "GROUP"), ACTOR))));
        add(context, r, "policies", a -> policies());
        add(context, r, "policy-add", this::policyAdd);
        add(context, r, "policy-delete", a -> run(() -> {
            fleet.deletePolicy(Long.parseLong(arg(a, 0, "ID")), ACTOR);
            return "deleted policy " + a.get(0);
        }));
        add(context, r, "server-cert", this::serverCert);
        add(context, r, "early-replication", a -> run(() -> "asked " + fleet.requestEarlyReplication(arg(a, 0, "GROUP"),
                ACTOR) + " computers to replicate early"));
        return r;
    }

    static void add(BundleContext context, List<ServiceRegistration<?>> r, String name,
            Function<List<String>, String> body) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.command.scope", "certwatch");
        p.put("osgi.command.function", new String[] {name});
        r.add(context.registerService(org.apache.felix.service.command.Function.class,
                (session, args) -> body.apply(args.stream().map(String::valueOf).toList()), p));
    }

    static String arg(List<String> a, int i, String name) {
        if (a.size() <= i) {
            throw new IllegalArgumentException("missing argument " + name);
        }
        return a.get(i);
    }

    /** enrol-token GROUP [USES] [HOURS] */
    String enrolToken(List<String> a) {
        return run(() -> {
            int uses = a.size() > 1 ? Integer.parseInt(a.get(1)) : 1;
            Duration validity = Duration.ofHours(a.size() > 2 ? Long.parseLong(a.get(2)) : 24);
            EnrolmentToken t = fleet.createEnrolmentToken(arg(a, 0, "GROUP"), validity, uses, ACTOR);
            return t.text();
        });
    }

    String groups() {
        return fleet.groups().stream().map(g -> g.path() + " (" + g.shortName() + ")").collect(Collectors.joining("\n"));
    }

    String groupAdd(List<String> a) {
        return run(() -> {
            Group g = fleet.createGroup(arg(a, 0, "PATH"), a.size() > 1 ? a.get(1) : "", ACTOR);
            return "created group " + g.path() + " (" + g.shortName() + ")";
        });
    }

    String groupDelete(List<String> a) {
        return run(() -> {
            String path = arg(a, 0, "PATH");
            fleet.deleteGroup(path, ACTOR);
            return "deleted group " + path;
        });
    }

    String users() {
        return fleet.users().stream().map(u -> u.name() + " " + u.homeGroup() + " " + u.permissions())
                .collect(Collectors.joining("\n"));
    }

    /** user-add NAME GROUP PERMISSIONS(comma, or all) PASSWORD */
    String userAdd(List<String> a) {
        return run(() -> {
            String perms = arg(a, 2, "PERMISSIONS");
            Set<Permission> set = perms.equalsIgnoreCase("all") ? EnumSet.allOf(Permission.class)
                    : perms.equalsIgnoreCase("none") ? Set.of()
                    : Arrays.stream(perms.split(",")).map(p -> Permission.valueOf(p.trim().toUpperCase(Locale.ROOT)))
                            .collect(Collectors.toSet());
            return "created user " + fleet.createUser(arg(a, 0, "NAME"), arg(a, 1, "GROUP"), set,
                    arg(a, 3, "PASSWORD").toCharArray(), ACTOR).name();
        });
    }

    String computers() {
        List<Computer> all = fleet.computers();
        if (all.isEmpty()) {
            return "no computers";
        }
        return all.stream().map(this::describe).collect(Collectors.joining("\n"));
    }

    private String describe(Computer c) {
        PolicyState p = fleet.policyState(c.id()).orElse(null);
        return c.id() + " " + c.name() + " group=" + c.group() + " certificate=" + c.certificateId() + " sha256="
                + c.lastCertificateFingerprint() + " last="
                + c.lastReplication() + " sincePolicy=" + c.replicationsSincePolicy()
                + (p == null || p.policyId() == 0 ? "" : " policy=" + p.policyId() + ":" + p.state()
                        + (p.reason().isEmpty() ? "" : "(" + p.reason() + ")"));
    }

    String policies() {
        List<Policy> all = fleet.policies();
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
            Policy p = fleet.createPolicy(arg(a, 0, "GROUP"), Role.valueOf(arg(a, 1, "COMPONENT").toUpperCase(Locale.ROOT)),
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

    static String run(java.util.function.Supplier<String> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return "refused: " + e.getMessage();
        }
    }
}
