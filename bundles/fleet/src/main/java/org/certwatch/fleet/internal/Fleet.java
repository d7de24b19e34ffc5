package org.certwatch.fleet.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.EnrolmentToken;
import org.certwatch.api.fleet.FleetAdministration;
import org.certwatch.api.fleet.FleetView;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupDirectory;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;

/**
 * The fleet's directory and computers: groups, users, policies, enrolment tokens and computers, with
 * the scoped views of them. One lock (this object) guards the state; durable changes are written
 * before a method returns (computers: by the flusher, see {@link FleetState}).
 */
final class Fleet implements GroupDirectory, UserDirectory, ComputerRegistry, FleetAdministration, FleetView,
        CaDeletionGuard {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final String ENROLLED_MARK = "enrolled with token ";

    private final FleetState state;
    private final CertificateStore store;
    private final Clock clock;
    private final AuditLog audit;
    private final BiConsumer<String, Map<String, Object>> events;
    private final SecureRandom random = new SecureRandom();
    private final int passwordIterations;
    private volatile boolean computersDirty;

    Fleet(FleetState state, CertificateStore store, Clock clock, AuditLog audit,
            BiConsumer<String, Map<String, Object>> events, int passwordIterations) {
        this.state = state;
        this.store = store;
        this.clock = clock;
        this.audit = audit;
        this.events = events;
        this.passwordIterations = passwordIterations;
    }

    /** Creates the root, Lost &amp; found and (first start) the admin user. */
    synchronized void initialise(char[] adminPassword) throws IOException {
        boolean changed = false;
        if (!state.groups.containsKey(Group.ROOT)) {
            state.groups.put(Group.ROOT, new Group(Group.ROOT, "all", "the whole fleet"));
            changed = true;
        }
        if (!state.groups.containsKey(Group.LOST_AND_FOUND)) {
            state.groups.put(Group.LOST_AND_FOUND, new Group(Group.LOST_AND_FOUND, "lost-and-found",
                    "computers whose agent enrolled without a group"));
            changed = true;
        }
        if (state.users.isEmpty() && adminPassword != null) {
            state.users.put("admin", new UserRecord("admin", Group.ROOT, EnumSet.allOf(Permission.class), true,
                    clock.instant(), Passwords.hash(adminPassword, random, passwordIterations)));
            record("system", "user.create", "user:admin", "ok: first start, home group All, all permissions");
            changed = true;
        }
        if (changed) {
            state.saveDirectory();
        }
    }

    Clock clock() {
        return clock;
    }

    CertificateStore store() {
        return store;
    }

    // ------------------------------------------------------------------ groups

    @Override
    public synchronized List<Group> groups() {
        return List.copyOf(state.groups.values());
    }

    @Override
    public synchronized Optional<Group> group(String path) {
        return Optional.ofNullable(state.groups.get(path));
    }

    @Override
    public synchronized Optional<Group> groupByShortName(String shortName) {
        return state.groups.values().stream().filter(g -> g.shortName().equals(shortName)).findFirst();
    }

    @Override
    public synchronized Group createGroup(String path, String description, String actor) {
        return audited(actor, "group.create", "group:" + path, () -> {
            String p = path == null ? "" : path.trim();
            if (p.equals(Group.ROOT) || !GroupPaths.isWellFormed(p)) {
                throw new IllegalArgumentException("a group path starts with 'All/' and names each level, e.g. All/Berlin/Lab"
                        + " ('.' and '..' are not names)");
            }
            if (state.groups.containsKey(p)) {
                throw new IllegalArgumentException("group " + p + " exists already");
            }
            Group candidate = new Group(p, "", "");
            if (!state.groups.containsKey(candidate.parentPath())) {
                throw new IllegalArgumentException("the parent group " + candidate.parentPath() + " does not exist");
            }
            Group group = new Group(p, shortName(p), description == null ? "" : description);
            state.groups.put(p, group);
            save();
            groupChanged(p, "CREATED");
            return group;
        });
    }

    /** A unique ASCII name of at most 32 octets (an SNMPv3 context name). */
    private String shortName(String path) {
        String base = path.substring(Group.ROOT.length() + 1).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (base.isEmpty()) {
            base = "group";
        }
        if (base.length() > 26) {
            base = base.substring(base.length() - 26);
        }
        String name = base;
        for (int i = 2; groupByShortName(name).isPresent(); i++) {
            name = base + "-" + i;
        }
        return name;
    }

    @Override
    public synchronized void deleteGroup(String path, String actor) {
        audited(actor, "group.delete", "group:" + path, () -> {
            if (!state.groups.containsKey(path)) {
                throw new IllegalArgumentException("there is no group " + path);
            }
            if (path.equals(Group.ROOT) || path.equals(Group.LOST_AND_FOUND)) {
                throw new IllegalArgumentException("the group " + path + " always exists");
            }
            List<String> blockers = new ArrayList<>();
            state.groups.keySet().stream().filter(g -> g.startsWith(path + "/")).findFirst()
                    .ifPresent(g -> blockers.add("subgroup " + g));
            state.users.values().stream().filter(u -> u.homeGroup().equals(path)).findFirst()
                    .ifPresent(u -> blockers.add("user " + u.name()));
            state.computers.values().stream().filter(c -> c.group.equals(path)).findFirst()
                    .ifPresent(c -> blockers.add("computer " + c.name));
            state.policies.values().stream().filter(p -> p.group().equals(path)).findFirst()
                    .ifPresent(p -> blockers.add("policy " + p.id()));
            if (!blockers.isEmpty()) {
                throw new IllegalArgumentException("group " + path + " is still used: " + String.join(", ", blockers));
            }
            state.groups.remove(path);
            save();
            groupChanged(path, "DELETED");
            return path;
        });
    }

    /** The one place group changes are announced (the SNMP agent adds and removes its contexts). */
    private void groupChanged(String path, String change) {
        events.accept(Topics.GROUP_CHANGED, Map.of("group.path", path, "change", change));
    }

    private void requireGroup(String path) {
        if (path == null || !state.groups.containsKey(path)) {
            throw new IllegalArgumentException("there is no group " + path);
        }
    }

    // ------------------------------------------------------------------ users

    @Override
    public Optional<User> authenticate(String name, char[] password) {
        UserRecord user;
        synchronized (this) {
            user = state.users.get(name);
        }
        // the slow hash runs outside the lock, and also for unknown users, so timing tells nothing
        boolean ok = Passwords.verify(password, user != null ? user.passwordHash()
                : "pbkdf2-sha256$" + passwordIterations + "$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        boolean accepted = ok && user != null && user.enabled();
        record(name == null ? "" : name, "user.login", "user:" + name, accepted ? "ok" : "refused");
        return accepted ? Optional.of(user.toUser()) : Optional.empty();
    }

    @Override
    public synchronized List<User> users() {
        return state.users.values().stream().map(UserRecord::toUser).toList();
    }

    @Override
    public synchronized Optional<User> user(String name) {
        return Optional.ofNullable(state.users.get(name)).map(UserRecord::toUser);
    }

    @Override
    public synchronized User createUser(String name, String homeGroup, Set<Permission> permissions, char[] password,
            String actor) {
        return audited(actor, "user.create", "user:" + name, () -> {
            if (name == null || !name.matches("[A-Za-z0-9._@-]{1,64}")) {
                throw new IllegalArgumentException("a user name has 1 to 64 letters, digits or . _ @ -");
            }
            if (state.users.containsKey(name)) {
                throw new IllegalArgumentException("user " + name + " exists already");
            }
            requireGroup(homeGroup);
            UserRecord user = new UserRecord(name, homeGroup, permissions == null ? Set.of() : permissions, true,
                    clock.instant(), Passwords.hash(password, random, passwordIterations));
            state.users.put(name, user);
            save();
            return user.toUser();
        });
    }

    @Override
    public synchronized void setPassword(String name, char[] password, String actor) {
        audited(actor, "user.password", "user:" + name, () -> {
            UserRecord user = state.users.get(name);
            if (user == null) {
                throw new IllegalArgumentException("there is no user " + name);
            }
            state.users.put(name, new UserRecord(user.name(), user.homeGroup(), user.permissions(), user.enabled(),
                    user.createdAt(), Passwords.hash(password, random, passwordIterations)));
            save();
            events.accept(Topics.USER_CHANGED, Map.of("user.name", name));
            return name;
        });
    }

    @Override
    public synchronized void deleteUser(String name, String actor) {
        audited(actor, "user.delete", "user:" + name, () -> {
            if (state.users.remove(name) == null) {
                throw new IllegalArgumentException("there is no user " + name);
            }
            save();
            events.accept(Topics.USER_CHANGED, Map.of("user.name", name));
            return name;
        });
    }

    // ------------------------------------------------------------------ computers

    @Override
    public synchronized List<Computer> computers() {
        return state.computers.values().stream().map(ComputerRecord::toComputer).toList();
    }

    @Override
    public synchronized Optional<Computer> computer(long id) {
        return Optional.ofNullable(state.computers.get(id)).map(ComputerRecord::toComputer);
    }

    @Override
    public synchronized Optional<Computer> computerByName(String name) {
        return state.computers.values().stream().filter(c -> c.name.equals(name)).findFirst()
                .map(ComputerRecord::toComputer);
    }

    @Override
    public synchronized Computer addComputer(String name, String group, String actor) {
        return audited(actor, "computer.add", "computer:" + name, () -> {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a computer name has 1 to 64 letters, digits or . _ -");
            }
            requireGroup(group);
            if (computerByName(name).isPresent()) {
                throw new IllegalArgumentException("computer " + name + " exists already");
            }
            ComputerRecord r = newComputer(name, group);
            state.saveComputers(); // an admin's change is durable when it returns
            return r.toComputer();
        });
    }

    /** Caller holds the lock. */
    ComputerRecord newComputer(String name, String group) {
        try {
            ComputerRecord r = new ComputerRecord(state.takeComputerId(), name, group);
            r.firstSeen = clock.instant();
            state.computers.put(r.id, r);
            // the id is reserved durably already; the record follows with the next snapshot (≤ 1 s),
            // so a first round of thousands of agents does not rewrite the snapshot once per agent
            markDirty();
            events.accept(Topics.COMPUTER_ADDED, Map.of("computer.id", r.id, "name", r.name, "group", r.group));
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized Computer moveComputer(long computerId, String group, String actor) {
        return audited(actor, "computer.move", "computer:" + computerId, () -> {
            ComputerRecord r = state.computers.get(computerId);
            if (r == null) {
                throw new IllegalArgumentException("there is no computer " + computerId);
            }
            requireGroup(group);
            r.group = group;
            state.saveComputers();
            return r.toComputer();
        });
    }

    synchronized ComputerRecord record(long computerId) {
        return state.computers.get(computerId);
    }

    synchronized Optional<ComputerRecord> recordByCertificate(long certificateId) {
        return state.computers.values().stream()
                .filter(c -> c.certificateId == certificateId
                        || (c.policyCertificateId == certificateId && isPerComputer(c.policyId)))
                .findFirst();
    }

    synchronized Optional<ComputerRecord> unboundRecordByName(String name) {
        return state.computers.values().stream().filter(c -> c.name.equals(name) && c.certificateId == 0).findFirst();
    }

    synchronized boolean nameTaken(String name) {
        return state.computers.values().stream().anyMatch(c -> c.name.equals(name));
    }

    synchronized int computerCount() {
        return state.computers.size();
    }

    private boolean isPerComputer(long policyId) {
        Policy p = state.policies.get(policyId);
        return p != null && p.issuingCaId() != 0;
    }

    void markDirty() {
        computersDirty = true;
    }

    /** Writes the computer snapshot when something changed since the last one (the flusher calls this). */
    void flush() throws IOException {
        if (!computersDirty) {
            return;
        }
        computersDirty = false;
        FleetState.ComputersSnapshot snapshot;
        synchronized (this) {
            snapshot = state.computersSnapshot();
        }
        // encoding and fsync happen outside the lock, so replications are not held up by them
        state.persistComputers(snapshot);
    }

    @Override
    public synchronized int requestEarlyReplication(String group, String actor) {
        return audited(actor, "computer.early-replication", "group:" + group, () -> {
            requireGroup(group);
            int n = 0;
            for (ComputerRecord c : state.computers.values()) {
                if (GroupPaths.contains(group, c.group)) {
                    c.earlyReplication = true;
                    n++;
                }
            }
            markDirty();
            return n;
        });
    }

    /** Asks these computers to come back at the shortest interval, once (a rollover's missing ones). */
    synchronized int requestEarlyReplication(java.util.Collection<Long> computerIds, String reason, String actor) {
        int n = 0;
        for (long id : computerIds) {
            ComputerRecord c = state.computers.get(id);
            if (c != null) {
                c.earlyReplication = true;
                n++;
            }
        }
        markDirty();
        record(actor, "computer.early-replication", "computers:" + n, "ok: " + reason);
        return n;
    }

    /** Reads the computers under the fleet lock (the records must not escape the function). */
    synchronized <T> T inspect(java.util.function.Function<java.util.Collection<ComputerRecord>, T> reader) {
        return reader.apply(state.computers.values());
    }

    /**
     * Hands each computer the certificate issued for it under its group's new policy, so the policy
     * delivers that one instead of issuing another at the replication; the count since the policy restarts.
     */
    synchronized void assignPolicyCertificates(Map<String, Long> policyByGroup, Map<Long, Long> certificateByComputer)
            throws IOException {
        Instant now = clock.instant();
        for (Map.Entry<Long, Long> e : certificateByComputer.entrySet()) {
            ComputerRecord c = state.computers.get(e.getKey());
            Long policy = c == null ? null : policyByGroup.get(c.group);
            if (policy == null || (c.policyId == policy && c.policyCertificateId == e.getValue())) {
                continue;
            }
            c.policyId = policy;
            c.policyCertificateId = e.getValue();
            c.policyState = PolicyState.State.PENDING;
            c.policyReason = "";
            c.policyAt = now;
            c.replicationsSincePolicy = 0;
        }
        state.saveComputers(); // durable when the step returns
    }

    // ------------------------------------------------------------------ enrolment tokens

    @Override
    public synchronized EnrolmentToken createEnrolmentToken(String group, Duration validity, String actor) {
        return createEnrolmentToken(group, validity, 1, actor);
    }

    /** A token usable {@code uses} times (simulated fleets enrol many agents with one token). */
    synchronized EnrolmentToken createEnrolmentToken(String group, Duration validity, int uses, String actor) {
        return audited(actor, "enrolment-token.create", "group:" + group, () -> {
            requireGroup(group);
            if (uses < 1) {
                throw new IllegalArgumentException("a token is usable at least once");
            }
            Duration valid = validity == null ? Duration.ofHours(24) : validity;
            if (valid.isNegative() || valid.isZero()) {
                throw new IllegalArgumentException("a token's validity must be positive");
            }
            CertificateInfo server = store.serverCertificate()
                    .orElseThrow(() -> new IllegalArgumentException("the server has no certificate yet"));
            CaInfo ca = store.ca(server.caId())
                    .orElseThrow(() -> new IllegalArgumentException("the server certificate's CA is not in the store"));
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            byte[] idBytes = new byte[6];
            random.nextBytes(idBytes);
            String id = HexFormat.of().formatHex(idBytes);
            Instant expires = clock.instant().plus(valid);
            state.tokens.values().removeIf(t -> !clock.instant().isBefore(t.expiresAt()));
            state.tokens.put(id, new TokenRecord(id, sha256(secretText), group, expires, uses));
            save();
            return new EnrolmentToken(id, group, expires, EnrolmentTokens.format(id, secretText, ca.fingerprint()));
        });
    }

    /**
     * Uses a token once; the group it names, or the reason it is refused. Durable when it returns; the
     * file is written outside the fleet lock (group commit), so enrolments do not stall replications.
     */
    String redeem(String tokenText) {
        EnrolmentTokens.Parsed t = EnrolmentTokens.parse(tokenText);
        FleetState.DirectorySnapshot snapshot;
        String group;
        synchronized (this) {
            TokenRecord record = state.tokens.get(t.id());
            if (record == null || !MessageDigest.isEqual(record.secretHash().getBytes(StandardCharsets.US_ASCII),
                    sha256(t.secret()).getBytes(StandardCharsets.US_ASCII))) {
                throw new IllegalArgumentException("unknown enrolment token");
            }
            if (!clock.instant().isBefore(record.expiresAt())) {
                throw new IllegalArgumentException("the enrolment token expired at " + record.expiresAt());
            }
            if (record.usesLeft() < 1) {
                throw new IllegalArgumentException("the enrolment token was used already");
            }
            // a used-up token stays until it expires, so a second use is told why it fails
            state.tokens.put(record.id(), record.used());
            group = record.group();
            try {
                snapshot = state.snapshotDirectory();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try {
            state.persistDirectory(snapshot);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fleet directory: " + e.getMessage(), e);
        }
        return group;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ policies

    @Override
    public synchronized Policy createPolicy(String group, Role component, long certificateId, long issuingCaId,
            List<Long> trustedCaIds, String description, String actor) {
        return audited(actor, "policy.create", "group:" + group, () -> {
            requireGroup(group);
            if (component == null || component == Role.SERVER || component == Role.MONITORED) {
                throw new IllegalArgumentException("a policy applies to AGENT, PROXY or MDM");
            }
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
            Policy policy = new Policy(state.nextPolicyId++, group, component, certificateId, issuingCaId,
                    trustedCaIds, description == null ? "" : description, clock.instant());
            state.policies.put(policy.id(), policy);
            save();
            return policy;
        });
    }

    /** Why a certificate cannot be handed out by a policy right now; throws with the reason. */
    void requireUsable(CertificateInfo c) {
        if (!c.hasKey()) {
            throw new IllegalArgumentException("certificate " + c.id() + " has no key in the store");
        }
        if (c.revoked()) {
            throw new IllegalArgumentException("certificate " + c.id() + " is revoked");
        }
        if (!clock.instant().isBefore(c.notAfter())) {
            throw new IllegalArgumentException("certificate " + c.id() + " expired at " + c.notAfter());
        }
    }

    @Override
    public synchronized void deletePolicy(long policyId, String actor) {
        audited(actor, "policy.delete", "policy:" + policyId, () -> {
            if (state.policies.remove(policyId) == null) {
                throw new IllegalArgumentException("there is no policy " + policyId);
            }
            save();
            return policyId;
        });
    }

    @Override
    public synchronized List<Policy> policies() {
        return List.copyOf(state.policies.values());
    }

    @Override
    public synchronized Optional<PolicyState> policyState(long computerId) {
        return Optional.ofNullable(state.computers.get(computerId)).map(ComputerRecord::toPolicyState);
    }

    /** The policy for a component in a group: the deepest group's newest one. */
    synchronized Optional<Policy> effectivePolicy(String group, Role component) {
        return state.policies.values().stream()
                .filter(p -> p.component() == component && GroupPaths.contains(p.group(), group))
                .max(Comparator.<Policy>comparingInt(p -> p.group().length()).thenComparingLong(Policy::id));
    }

    // ------------------------------------------------------------------ scoped views

    @Override
    public List<CertificateInfo> certificates(UserScope scope) {
        if (!scope.has(Permission.CERTIFICATES_READ)) {
            return List.of();
        }
        return store.certificates(CertificateQuery.all().withGroup(scope.homeGroup(), true));
    }

    @Override
    public List<CaInfo> cas(UserScope scope) {
        if (!scope.has(Permission.CERTIFICATES_READ)) {
            return List.of();
        }
        return store.cas().stream().filter(ca -> scope.covers(ca.homeGroup())).toList();
    }

    @Override
    public synchronized List<Computer> computers(UserScope scope) {
        return state.computers.values().stream().filter(c -> scope.seesComputersOf(c.group))
                .map(ComputerRecord::toComputer).toList();
    }

    @Override
    public synchronized List<Group> groups(UserScope scope) {
        return state.groups.values().stream().filter(g -> scope.covers(g.path())).toList();
    }

    // ------------------------------------------------------------------ CA deletion guard

    @Override
    public List<String> blockingReasons(CaInfo ca) {
        List<String> names = new ArrayList<>();
        // no fleet lock here: the store calls this while it holds its own lock, and a replication may
        // hold the fleet lock while it waits for the store (issuing a policy's certificate)
        for (ComputerRecord c : state.computers.values()) {
            long certificateId = c.certificateId;
            if (certificateId != 0 && store.certificate(certificateId).map(x -> x.caId() == ca.id()).orElse(false)) {
                names.add(c.name);
            }
        }
        if (names.isEmpty()) {
            return List.of();
        }
        return List.of(names.size() + " computer(s) last authenticated with a certificate this CA issued (e.g. "
                + String.join(", ", names.subList(0, Math.min(5, names.size()))) + ")");
    }

    // ------------------------------------------------------------------ helpers

    private void save() {
        try {
            state.saveDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fleet directory: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws IOException;
    }

    private <T> T audited(String actor, String action, String target, Work<T> work) {
        try {
            T result = work.run();
            record(actor, action, target, "ok");
            return result;
        } catch (IllegalArgumentException e) {
            record(actor, action, target, "refused: " + e.getMessage());
            throw e;
        } catch (IOException | UncheckedIOException e) {
            record(actor, action, target, "failed: " + e.getMessage());
            throw new IllegalStateException(action + " failed: " + e.getMessage(), e);
        }
    }

    void record(String actor, String action, String target, String outcome) {
        if (audit == null) {
            return;
        }
        try {
            audit.append(new AuditEntry(clock.instant(), actor == null ? "" : actor, action, target, outcome, ""));
        } catch (RuntimeException e) {
            LOG.warning("audit log refused " + action + ": " + e.getMessage());
        }
    }
}
