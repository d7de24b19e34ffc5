package org.certwatch.fleet.internal.computers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.ComputerRegistry;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.state.FleetConfiguration;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.ComputerRow;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The managed computers: added by an admin or by their agent's first replication, moved between
 * groups, asked to replicate early. As a CA deletion guard it names the computers that last
 * authenticated with a certificate the CA issued.
 */
@Component(service = {ComputerRegistry.class, CaDeletionGuard.class, Computers.class},
        configurationPid = "org.certwatch.fleet")
public final class Computers implements ComputerRegistry, CaDeletionGuard {
    private final FleetState state;
    private final CertificateStore store;
    private volatile FleetConfiguration config;

    @Activate
    public Computers(@Reference(name = "state") FleetState state, @Reference(name = "store") CertificateStore store) {
        this.state = state;
        this.store = store;
    }

    /** The replication settings, for {@link #replicationInterval()}; they change live. */
    @Activate
    @Modified
    void configure(FleetConfiguration config) {
        this.config = config;
    }

    /**
     * The interval agents get: the configured one, longer when the fleet needs more replications per second
     * than the server plans for (so it never overruns the server).
     */
    public static long plannedInterval(int computers, int intervalSeconds, int capacityPerSecond) {
        return Math.max(intervalSeconds, (long) Math.ceil(computers / (double) capacityPerSecond));
    }

    @Override
    public Duration replicationInterval() {
        FleetConfiguration c = config;
        if (c == null) {
            return ComputerRegistry.super.replicationInterval();
        }
        return Duration.ofSeconds(plannedInterval(state.computerCount(), c.replication_interval_seconds(),
                c.capacity_per_second()));
    }

    /** Each computer as it is under its own lock: a whole-fleet read does not stop the replications. */
    @Override
    public List<Computer> computers() {
        return state.computers.values().stream().map(this::read).toList();
    }

    @Override
    public Optional<Computer> computer(long id) {
        return Optional.ofNullable(state.computers.get(id)).map(this::read);
    }

    @Override
    public Optional<Computer> computerByName(String name) {
        // names are only added (under the fleet lock); the index is concurrent
        return Optional.ofNullable(state.computerByName(name)).map(this::read);
    }

    private Computer read(ComputerRecord r) {
        try (FleetState.Held held = state.lock(r)) {
            return r.toComputer();
        }
    }

    /** Adds a computer before its agent ever replicated (its agent then binds to it by name). */
    public Computer addComputer(String name, String group, String actor) {
        return state.change(actor, "computer.add", "computer:" + name, () -> {
            if (name == null || !name.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("a computer name has 1 to 64 letters, digits or . _ -");
            }
            state.requireGroup(group);
            if (computerByName(name).isPresent()) {
                throw new IllegalArgumentException("computer " + name + " exists already");
            }
            ComputerRecord r = newComputer(name, group);
            state.store(r); // an admin's change is durable when it returns
            return r.toComputer();
        });
    }

    /** Caller holds the fleet lock. */
    public ComputerRecord newComputer(String name, String group) {
        try {
            ComputerRecord r = new ComputerRecord(state.takeComputerId(), name, group);
            r.firstSeen = state.clock().instant();
            // the id is reserved durably already; the caller stores the record with its first change
            state.addComputer(r);
            state.post(Topics.COMPUTER_ADDED, Map.of("computer.id", r.id, "name", r.name, "group", r.group));
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Computer moveComputer(long computerId, String group, String actor) {
        return state.change(actor, "computer.move", "computer:" + computerId, () -> {
            ComputerRecord r = state.computers.get(computerId);
            if (r == null) {
                throw new IllegalArgumentException("there is no computer " + computerId);
            }
            state.requireGroup(group);
            r.group = group;
            state.store(r);
            // the monitor and the MIB follow the computer's group
            state.post(Topics.COMPUTER_CHANGED, Map.of("computer.id", r.id, "certificate.id", r.certificateId));
            return r.toComputer();
        });
    }

    /** Without a lock: the computer, to be locked before it is read or changed. */
    public ComputerRecord record(long computerId) {
        return state.computers.get(computerId);
    }

    /**
     * The computer that authenticated with the certificate or was given it for itself; caller holds the
     * fleet lock. Found through the index; only a stale entry costs a scan.
     */
    public Optional<ComputerRecord> recordByCertificate(long certificateId) {
        ComputerRecord hint = state.computerByCertificateHint(certificateId);
        if (hint == null || holds(hint, certificateId)) {
            return Optional.ofNullable(hint);
        }
        Optional<ComputerRecord> found = state.computers.values().stream().filter(c -> holds(c, certificateId)).findFirst();
        found.ifPresent(c -> state.certificateBound(c, certificateId));
        return found;
    }

    private boolean holds(ComputerRecord c, long certificateId) {
        return c.certificateId == certificateId || (c.policyCertificateId == certificateId && isPerComputer(c.policyId));
    }

    /** Caller holds the fleet lock. */
    public Optional<ComputerRecord> unboundRecordByName(String name) {
        return Optional.ofNullable(state.computerByName(name)).filter(c -> c.certificateId == 0);
    }

    /** Caller holds the fleet lock. */
    public boolean nameTaken(String name) {
        return state.computerByName(name) != null;
    }

    public int computerCount() {
        return state.computerCount();
    }

    private boolean isPerComputer(long policyId) {
        Policy p = state.policies.get(policyId);
        return p != null && p.issuingCaId() != 0;
    }

    /** Asks the agents of the group (and below) to come back at the shortest interval, once. */
    public int requestEarlyReplication(String group, String actor) {
        return state.change(actor, "computer.early-replication", "group:" + group, () -> {
            state.requireGroup(group);
            int n = 0;
            long ticket = 0;
            for (ComputerRecord c : state.computers.values()) {
                if (GroupPaths.contains(group, c.group)) {
                    c.earlyReplication = true;
                    ticket = state.changed(c);
                    n++;
                }
            }
            state.awaitStored(ticket);
            return n;
        });
    }

    /** Asks these computers to come back at the shortest interval, once (a rollover's missing ones). */
    public int requestEarlyReplication(Collection<Long> computerIds, String reason, String actor) {
        try (FleetState.Held held = state.exclusive()) {
            int n = 0;
            long ticket = 0;
            for (long id : computerIds) {
                ComputerRecord c = state.computers.get(id);
                if (c != null) {
                    c.earlyReplication = true;
                    ticket = state.changed(c);
                    n++;
                }
            }
            state.awaitStored(ticket);
            state.record(actor, "computer.early-replication", "computers:" + n, "ok: " + reason);
            return n;
        }
    }

    /** Reads the computers under the fleet lock, no replication running (the records must not escape the function). */
    public <T> T inspect(Function<Collection<ComputerRecord>, T> reader) {
        try (FleetState.Held held = state.exclusive()) {
            return reader.apply(state.computers.values());
        }
    }

    @Override
    public List<String> blockingReasons(CaInfo ca) {
        Map<Long, String> names = new TreeMap<>();
        // no fleet lock here: the store calls this while it holds its own lock, and a replication may
        // hold the fleet lock while it waits for the store (issuing a policy's certificate)
        for (ComputerRecord c : state.computers.values()) {
            if (issuedBy(c.certificateId, ca)) {
                names.put(c.id, c.name);
            }
        }
        // where servers share the storage, also what one of them stored a moment ago and this one has not applied yet
        try {
            for (ComputerRow row : state.storage().sharedComputers().orElse(List.of())) {
                if (issuedBy(row.certificateId(), ca)) {
                    names.putIfAbsent(row.id(), row.name());
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of("the computers' certificates cannot be read from the shared storage: " + e.getMessage());
        }
        return reasons(List.copyOf(names.values()));
    }

    private boolean issuedBy(long certificateId, CaInfo ca) {
        return certificateId != 0 && store.certificate(certificateId).map(x -> x.caId() == ca.id()).orElse(false);
    }

    private static List<String> reasons(List<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        return List.of(names.size() + " computer(s) last authenticated with a certificate this CA issued (e.g. "
                + String.join(", ", names.subList(0, Math.min(5, names.size()))) + ")");
    }
}
