package org.certwatch.fleet.internal.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.commons.time.SwitchableClock;
import org.certwatch.fleet.internal.storage.ApiTokenRecord;
import org.certwatch.fleet.internal.storage.ComputerRow;
import org.certwatch.fleet.internal.storage.DirectoryRecord;
import org.certwatch.fleet.internal.storage.FleetStorage;
import org.certwatch.fleet.internal.storage.TokenRecord;
import org.certwatch.fleet.internal.storage.UserRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The fleet in memory (groups, users, policies, tokens, computers) and its locks. It is an internal
 * service that this component alone creates and owns, so the directory, computer, policy, endpoint and
 * rollover components, each publishing its own API service, all work on the same maps under the same
 * locks: a replication takes only its computer's lock ({@link #lock(ComputerRecord)}, one of
 * {@value #STRIPES} striped locks), so replications of different computers never wait for each other;
 * everything else (an admin's change, a rollover step, an agent's first replication) takes the fleet lock
 * ({@link #exclusive()}: every stripe), so it sees and changes the fleet as one. It also keeps the fleet
 * durable through {@link FleetStorage}: the directory before a
 * change returns, a computer's row before its change is answered ({@link ComputerWrites}: the row is
 * queued under the computer's lock, stored outside it, concurrent changes share one sync). Computer ids are reserved in
 * blocks recorded in the directory, so an id is never handed out twice even when the last snapshot was
 * lost in a crash. The registry clock, the audit trail and the events the fleet posts go through here.
 * Immediate, and opened in its activation: whoever gets the service first gets it opened (two small
 * files), so no component registers anything by hand.
 *
 * <p>Where several servers share the storage, admin changes run through {@link #change}: under the
 * storage's lock across servers, on the directory as stored now; and what the other servers change
 * reaches this one through the storage's watches ({@link #directoryChangedElsewhere},
 * {@link #computersChangedElsewhere}), with the events a change made here posts.
 */
@Component(service = FleetState.class, immediate = true)
public final class FleetState {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final long ID_BLOCK = 1000;
    /** Striped computer locks: enough that 24 endpoint threads rarely share one. */
    static final int STRIPES = 64;

    public final Map<String, Group> groups = new TreeMap<>();
    public final Map<String, UserRecord> users = new TreeMap<>();
    public final Map<Long, Policy> policies = new TreeMap<>();
    public final Map<String, TokenRecord> tokens = new TreeMap<>();
    public final Map<String, ApiTokenRecord> apiTokens = new TreeMap<>();
    /** Every rename of a group, in number order; stored with the directory (so with the rewrite it made). */
    public final List<GroupRename> renames = new ArrayList<>();
    /**
     * Concurrent: a replication finds its computer without the fleet lock, and so does the CA deletion
     * guard (the store calls it under its own lock). Added to under the fleet lock only.
     */
    public final Map<Long, ComputerRecord> computers = new ConcurrentSkipListMap<>();
    /** {@code computers.size()}, which a skip list counts by walking it. */
    private volatile int computerCount;
    /** The same computers by name (unique), so an agent's first replication finds its computer without a scan. */
    private final Map<String, ComputerRecord> computersByName = new ConcurrentHashMap<>();
    /**
     * By a certificate each authenticated with or was given for itself: a hint, checked where it is
     * used (an entry may be stale), kept at every change of those two fields (under a computer's lock).
     */
    private final Map<Long, ComputerRecord> computersByCertificate = new ConcurrentHashMap<>();
    /** Taken first by {@link #exclusive()}, so two takers of every stripe never hold part of them each. */
    private final ReentrantLock fleetLock = new ReentrantLock();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private final ReplicationBatch replications;

    /** Optional: without EventAdmin the fleet posts nothing (set by DS; tests set it directly). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    public volatile EventAdmin eventAdmin;

    private final FleetStorage storage;
    private final AuditLog audit;
    /** The registry's best-ranked clock; a test clock arriving later takes over without a restart. */
    private final SwitchableClock clock = SwitchableClock.systemUntilSet();
    private long nextPolicyId = 1;
    private long nextComputerId = 1;
    /** Ids below this are reserved durably (on files: this server's reservation; shared: unused). */
    private long computerIdCeiling = 1;
    /** The end of the block of computer ids this server reserved. */
    private long reservedThrough = 1;
    /** The storage's watches of other servers' changes; closed on deactivate. */
    private final List<Subscription> watches = new ArrayList<>();
    private final ComputerWrites computerWrites;

    /** A directory state to write; a later version contains every earlier change. */
    public record DirectorySnapshot(long version, DirectoryRecord directory) {
    }

    private long directoryVersion; // guarded by this
    private final Object directoryWrite = new Object();
    private long directoryWritten; // guarded by directoryWrite

    @Activate
    public FleetState(@Reference(name = "storage") FleetStorage storage, @Reference(name = "audit") AuditLog audit) {
        this.storage = storage;
        this.audit = audit;
        this.computerWrites = new ComputerWrites(storage);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        this.replications = new ReplicationBatch(this::post);
    }

    @Deactivate
    void close() {
        synchronized (watches) {
            watches.forEach(Subscription::close);
            watches.clear();
        }
        replications.close();
    }

    /** A lock held; closing releases it. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The fleet lock: every computer's lock, so no replication runs while the holder reads or changes
     * groups, users, policies, tokens or computers. Reentrant.
     */
    public Held exclusive() {
        fleetLock.lock();
        for (ReentrantLock s : stripes) {
            s.lock();
        }
        return () -> {
            for (int i = STRIPES - 1; i >= 0; i--) {
                stripes[i].unlock();
            }
            fleetLock.unlock();
        };
    }

    /**
     * A computer's lock, enough to read or change that computer and to read groups and policies (their
     * changes hold every computer's lock). The holder takes no other fleet lock.
     */
    public Held lock(ComputerRecord computer) {
        ReentrantLock stripe = stripes[(int) (computer.id & (STRIPES - 1))];
        stripe.lock();
        return stripe::unlock;
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    public void bindClock(Clock registryClock) {
        clock.set(registryClock);
    }

    void unbindClock(Clock registryClock) {
        // SCR binds the replacement before unbinding the old one
    }

    /** Reads what is stored. */
    @Activate
    void open() throws IOException {
        load();
    }

    /**
     * Reads what is stored, and creates the root and Lost &amp; found groups on the first start (once,
     * however many servers sharing the storage start at the same moment). Watches what other servers
     * change from before it reads, so nothing between the read and the watch is missed.
     */
    public void load() throws IOException {
        synchronized (watches) {
            if (watches.isEmpty()) {
                watches.add(storage.watchDirectory(this::directoryChangedElsewhere));
                watches.add(storage.watchComputers(this::computersChangedElsewhere));
            }
        }
        acrossServers(() -> {
            try (Held held = exclusive()) {
                loadLocked();
            }
            return null;
        });
    }

    private void loadLocked() throws IOException {
        storage.readDirectory().ifPresent(d -> {
            nextPolicyId = d.nextPolicyId();
            computerIdCeiling = d.computerIdCeiling();
            d.groups().forEach(g -> groups.put(g.path(), g));
            d.users().forEach(u -> users.put(u.name(), u));
            d.policies().forEach(p -> policies.put(p.id(), p));
            d.tokens().forEach(t -> tokens.put(t.id(), t));
            d.apiTokens().forEach(t -> apiTokens.put(t.id(), t));
            renames.clear();
            renames.addAll(d.renames());
        });
        storage.readComputers().ifPresent(c -> {
            nextComputerId = Math.max(nextComputerId, c.nextComputerId());
            for (ComputerRow row : c.computers()) {
                ComputerRecord r = computers.get(row.id());
                if (r != null) {
                    r.set(row); // applied from another server's change between the watch's start and this read
                } else {
                    r = ComputerRecord.of(row);
                    addComputer(r);
                }
                certificateBound(r, r.certificateId);
                certificateBound(r, r.policyCertificateId);
                nextComputerId = Math.max(nextComputerId, row.id() + 1);
            }
        });
        computersFollowRenames();
        // a snapshot lost in a crash must not let ids below the reserved ceiling come back
        nextComputerId = Math.max(nextComputerId, computerIdCeiling);
        reservedThrough = computerIdCeiling;
        boolean changed = false;
        if (!groups.containsKey(Group.ROOT)) {
            groups.put(Group.ROOT, new Group(Group.ROOT, "all", "the whole fleet"));
            changed = true;
        }
        if (!groups.containsKey(Group.LOST_AND_FOUND)) {
            groups.put(Group.LOST_AND_FOUND, new Group(Group.LOST_AND_FOUND, "lost-and-found",
                    "computers whose agent enrolled without a group"));
            changed = true;
        }
        if (changed) {
            saveDirectory();
        }
    }

    /**
     * Computers still in a group that was renamed away: a rename writes the directory (with its record)
     * first and the computers' rows after it, so a crash between the two leaves rows with the old path,
     * which the next load moves on. Every rename applied again is harmless (the fleet refuses a group at a
     * path the renames would move). Caller holds the fleet lock.
     */
    private void computersFollowRenames() {
        for (ComputerRecord computer : computers.values()) {
            String path = GroupRename.applyAll(renames, computer.group);
            if (!path.equals(computer.group)) {
                LOG.info("computer " + computer.name + " follows the rename of its group " + computer.group + " to " + path);
                computer.group = path;
                store(computer);
            }
        }
    }

    /** The number of the last rename of a group, 0 for none; caller holds the fleet lock. */
    public long lastRename() {
        return renames.isEmpty() ? 0 : renames.get(renames.size() - 1).number();
    }

    public Clock clock() {
        return clock;
    }

    public FleetStorage storage() {
        return storage;
    }

    // ------------------------------------------------------------------ directory

    /** Caller holds the fleet lock. */
    public long takePolicyId() {
        return nextPolicyId++;
    }

    /** Caller holds the fleet lock; throws the refusal every operation that names a group gives. */
    public void requireGroup(String path) {
        if (path == null || !groups.containsKey(path)) {
            throw new IllegalArgumentException("there is no group " + path);
        }
    }

    /** Writes the directory now; the caller holds the fleet lock. */
    public void saveDirectory() throws IOException {
        persistDirectory(snapshotDirectory());
    }

    /** {@link #saveDirectory}, with a failure as the unchecked refusal the services give. */
    public void save() {
        try {
            saveDirectory();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the fleet directory: " + e.getMessage(), e);
        }
    }

    /** Taken under the fleet lock. */
    public DirectorySnapshot snapshotDirectory() {
        try (Held held = exclusive()) {
            return new DirectorySnapshot(++directoryVersion, directory());
        }
    }

    /** The directory now; the caller holds the fleet lock. */
    private DirectoryRecord directory() {
        return new DirectoryRecord(nextPolicyId, computerIdCeiling, List.copyOf(groups.values()),
                List.copyOf(users.values()), List.copyOf(policies.values()), List.copyOf(tokens.values()),
                List.copyOf(apiTokens.values()), List.copyOf(renames));
    }

    /**
     * Makes the snapshot durable, possibly outside the lock: group commit, since a snapshot already
     * superseded on disk by a later one needs no write of its own, and an older one never overwrites a newer.
     */
    public void persistDirectory(DirectorySnapshot snapshot) throws IOException {
        synchronized (directoryWrite) {
            if (snapshot.version() > directoryWritten) {
                storage.writeDirectory(snapshot.directory());
                directoryWritten = snapshot.version();
            }
        }
    }

    // ------------------------------------------------------------------ computers

    /**
     * Reserves the next block of computer ids when the next id reaches the end of this server's block; caller
     * holds the fleet lock. Shared storage reserves a block no other server hands out (without a lock across
     * servers: an agent's first replication holds the fleet lock, which admin changes take after that one).
     */
    public long takeComputerId() throws IOException {
        if (nextComputerId >= reservedThrough) {
            OptionalLong shared = storage.reserveComputerIds(nextComputerId, ID_BLOCK);
            if (shared.isPresent()) {
                nextComputerId = shared.getAsLong();
            } else {
                computerIdCeiling = nextComputerId + ID_BLOCK;
                saveDirectory();
            }
            reservedThrough = nextComputerId + ID_BLOCK;
        }
        return nextComputerId++;
    }

    /** Adds a computer; the caller holds the fleet lock. */
    public void addComputer(ComputerRecord computer) {
        computers.put(computer.id, computer);
        computersByName.put(computer.name, computer);
        computerCount++; // written under the fleet lock only
    }

    public int computerCount() {
        return computerCount;
    }

    /** Caller holds the fleet lock (names change under it). */
    public ComputerRecord computerByName(String name) {
        return computersByName.get(name);
    }

    /** Records that the computer authenticated with, or was given, this certificate; the caller holds its lock. */
    public void certificateBound(ComputerRecord computer, long certificateId) {
        if (certificateId != 0) {
            computersByCertificate.put(certificateId, computer);
        }
    }

    /** The computer last recorded for the certificate, to be checked by the caller; the caller holds the fleet lock. */
    public ComputerRecord computerByCertificateHint(long certificateId) {
        return computersByCertificate.get(certificateId);
    }

    /** Queues the computer's state now to be stored; the caller holds its lock. The ticket to await. */
    public long changed(ComputerRecord computer) {
        return computerWrites.queue(computer.row());
    }

    /** Returns when the change of the ticket is durable; called outside the lock where it can be. */
    public void awaitStored(long ticket) {
        try {
            computerWrites.awaitStored(ticket);
        } catch (IOException e) {
            if (e.getCause() instanceof StorageUnavailableException unavailable) {
                throw unavailable;
            }
            throw new UncheckedIOException("cannot store the computers: " + e.getMessage(), e);
        }
    }

    /** Stores the computer's state now (an admin's change, durable when it returns); the caller holds its lock. */
    public void store(ComputerRecord computer) {
        awaitStored(changed(computer));
    }

    // ------------------------------------------------------------------ several servers

    /**
     * Runs {@code work} under the storage's lock across servers (on files: at once), so that what it
     * checks no other server changes before it wrote. Not under the fleet lock: that one is taken inside.
     */
    public <T> T acrossServers(Callable<T> work) {
        try {
            return storage.exclusively(work);
        } catch (RuntimeException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The fleet lock across servers and here, on the directory as stored now (another server's change applied first). */
    public <T> T locked(Work<T> work) {
        return acrossServers(() -> {
            try (Held held = exclusive()) {
                catchUp();
                return work.run();
            }
        });
    }

    /**
     * An admin change, {@link #locked} and {@link #audited}: it checks and writes as if there were one
     * server. One that fails to be stored leaves the directory in memory as it was before.
     */
    public <T> T change(String actor, String action, String target, Work<T> work) {
        return locked(() -> {
            DirectoryRecord before = directory();
            try {
                return audited(actor, action, target, work);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (RuntimeException e) {
                adoptDirectory(before, false);
                throw e;
            }
        });
    }

    /** Applies the directory another server stored since this one last read it; the caller holds the fleet lock. */
    public void catchUp() throws IOException {
        storage.directoryIfChanged().ifPresent(d -> adoptDirectory(d, true));
    }

    /** From the storage's watch (its thread): another server changed the directory. */
    void directoryChangedElsewhere() {
        try (Held held = exclusive()) {
            catchUp();
        } catch (IOException | RuntimeException e) {
            // read again at the next change here or there
            LOG.warning("cannot read the fleet directory another server changed: " + e.getMessage());
        }
    }

    /**
     * Replaces the directory in memory with a stored one, announcing what changed as the change itself
     * does here ({@code group/CHANGED}, {@code user/CHANGED}). An API token's last use that this server
     * has not written yet (at most every 10 minutes) stays when it is the later one. Caller holds the fleet lock.
     */
    private void adoptDirectory(DirectoryRecord d, boolean announce) {
        Map<String, Group> oldGroups = new TreeMap<>(groups);
        Map<String, UserRecord> oldUsers = new TreeMap<>(users);
        Map<String, ApiTokenRecord> oldApiTokens = new TreeMap<>(apiTokens);
        long oldLastRename = lastRename();
        groups.clear();
        users.clear();
        policies.clear();
        tokens.clear();
        apiTokens.clear();
        d.groups().forEach(g -> groups.put(g.path(), g));
        d.users().forEach(u -> users.put(u.name(), u));
        d.policies().forEach(p -> policies.put(p.id(), p));
        d.tokens().forEach(t -> tokens.put(t.id(), t));
        for (ApiTokenRecord t : d.apiTokens()) {
            ApiTokenRecord mine = oldApiTokens.get(t.id());
            boolean mineLater = mine != null && mine.lastUsedAt() != null
                    && (t.lastUsedAt() == null || mine.lastUsedAt().isAfter(t.lastUsedAt()));
            apiTokens.put(t.id(), mineLater ? t.usedAt(mine.lastUsedAt()) : t);
        }
        renames.clear();
        renames.addAll(d.renames());
        nextPolicyId = d.nextPolicyId();
        computerIdCeiling = d.computerIdCeiling();
        if (!announce) {
            return;
        }
        renames.stream().filter(r -> r.number() > oldLastRename).forEach(this::renamed);
        groups.keySet().stream().filter(p -> !oldGroups.containsKey(p))
                .forEach(p -> post(Topics.GROUP_CHANGED, Map.of("group.path", p, "change", "CREATED")));
        oldGroups.keySet().stream().filter(p -> !groups.containsKey(p))
                .forEach(p -> post(Topics.GROUP_CHANGED, Map.of("group.path", p, "change", "DELETED")));
        oldUsers.forEach((name, user) -> {
            if (!user.equals(users.get(name))) {
                post(Topics.USER_CHANGED, Map.of("user.name", name));
            }
        });
    }

    /**
     * From the storage's watch (its thread): the stored rows of computers that changed, this server's own
     * writes among them (already in memory: nothing to do). Another server's row replaces the computer
     * here under its lock, with the events a change here posts; a replication elsewhere is announced
     * here too, but counted only where it happened. The row read is the latest stored, so a computer
     * that replicated to two servers ends with the later state everywhere.
     */
    void computersChangedElsewhere(List<ComputerRow> rows) {
        for (ComputerRow row : rows) {
            ComputerRecord known = computers.get(row.id());
            if (known == null) {
                try (Held held = exclusive()) {
                    if (!computers.containsKey(row.id())) {
                        ComputerRecord added = ComputerRecord.of(row);
                        addComputer(added);
                        certificateBound(added, added.certificateId);
                        certificateBound(added, added.policyCertificateId);
                        post(Topics.COMPUTER_ADDED, Map.of("computer.id", added.id, "name", added.name, "group", added.group));
                        continue;
                    }
                    known = computers.get(row.id());
                }
            }
            try (Held held = lock(known)) {
                ComputerRow before = known.row();
                if (before.equals(row)) {
                    continue;
                }
                known.set(row);
                certificateBound(known, row.certificateId());
                certificateBound(known, row.policyCertificateId());
                if (before.certificateId() != row.certificateId() || !before.group().equals(row.group())) {
                    post(Topics.COMPUTER_CHANGED, Map.of("computer.id", row.id(), "certificate.id", row.certificateId()));
                }
                if (!Objects.equals(before.lastReplication(), row.lastReplication())) {
                    replications.addElsewhere(row.id());
                }
            }
        }
    }

    // ------------------------------------------------------------------ audit and events

    @FunctionalInterface
    public interface Work<T> {
        T run() throws IOException;
    }

    /** Runs a change and audits its outcome: ok, refused (with the reason) or failed. */
    public <T> T audited(String actor, String action, String target, Work<T> work) {
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
        } catch (StorageUnavailableException e) {
            record(actor, action, target, "failed: " + e.getMessage());
            throw e;
        }
    }

    public void record(String actor, String action, String target, String outcome) {
        if (audit == null) {
            return;
        }
        try {
            audit.append(new AuditEntry(clock.instant(), actor == null ? "" : actor, action, target, outcome, ""));
        } catch (RuntimeException e) {
            LOG.warning("audit log refused " + action + ": " + e.getMessage());
        }
    }

    /** Counts a replication, and has it announced with the others of its second ({@link ReplicationBatch}). */
    public void replicated(long computerId) {
        replications.add(computerId);
    }

    /** Replications since the start. */
    public long replicationCount() {
        return replications.total();
    }

    /** Announces a rename of a group, made here or on another server: its own event, and the group change the SNMP contexts follow. */
    public void renamed(GroupRename rename) {
        post(Topics.GROUP_RENAMED, Map.of("rename.number", rename.number(), "from", rename.from(), "to", rename.to()));
        post(Topics.GROUP_CHANGED, Map.of("group.path", rename.to(), "change", "RENAMED"));
    }

    public void post(String topic, Map<String, Object> properties) {
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            admin.postEvent(new Event(topic, properties));
        }
    }
}
