package org.certwatch.fleet.internal.rollover;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.Topics;
import org.certwatch.api.persistence.Subscription;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverRefusedException;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.rollover.RolloverStep;
import org.certwatch.api.rollover.StepState;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.policy.Policies;
import org.certwatch.fleet.internal.state.FleetConfiguration;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.FleetStorage;
import org.certwatch.fleet.internal.storage.RolloverRecord;
import org.certwatch.fleet.internal.storage.RolloversRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * The six-step CA rollover (the steps' work is {@link RolloverSteps}). Each step is idempotent: what it
 * creates in the store and the fleet carries the rollover's tag, so a step interrupted by a crash finds
 * its own work when it runs again, and on open the steps whose effect is already visible in the store
 * (server certificate switched, old CA deleted) are marked done. The record of each completed step is
 * written durably before the call returns. One lock (this object) serialises steps; the CA deletion guard
 * reads a volatile snapshot instead, since the store calls it under its own lock. Immediate, so a
 * rollover resumes (and a damaged file is reported) at start, not at the first request. A new
 * {@code rollover_wait_hours} applies to the next step 3 without a restart.
 *
 * <p>Where several servers share the storage, every change runs under the storage's lock across servers
 * on the rollovers as stored now ({@link #catchUp}), so two admins on two servers get what one server
 * would give them one after the other (a second step 5 becomes a step 6, refused by its gate). Another
 * server's step reaches this one through the storage's watch; its events (and their traps) are posted
 * only where the step ran.
 */
@Component(service = {RolloverService.class, CaDeletionGuard.class}, immediate = true,
        configurationPid = "org.certwatch.fleet", configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class Rollovers implements RolloverService, CaDeletionGuard {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    /** {@code from} of the old {@code advance}: whatever step the rollover is at. */
    private static final int ANY_STEP = -1;

    private final FleetState state;
    private final Computers computers;
    private final CertificateStore store;
    private final FleetStorage storage;
    private final Clock clock;
    private final RolloverProgress progress;
    private final RolloverSteps steps;
    private final Map<Long, RolloverRecord> rollovers = new TreeMap<>();
    private volatile Duration wait;
    private long nextId;
    private volatile List<RolloverRecord> running = List.of();
    private Subscription watch; // guarded by this

    @Activate
    public Rollovers(@Reference(name = "state") FleetState state, @Reference(name = "computers") Computers computers, @Reference(name = "policies") Policies policies,
            @Reference(name = "store") CertificateStore store, FleetConfiguration config) {
        this(state, computers, policies, store, Duration.ofHours(config.rollover_wait_hours()));
    }

    public Rollovers(FleetState state, Computers computers, Policies policies, CertificateStore store, Duration wait) {
        this.state = state;
        this.computers = computers;
        this.store = store;
        this.storage = state.storage();
        this.clock = state.clock();
        this.wait = wait;
        this.progress = new RolloverProgress(computers, store, clock);
        this.steps = new RolloverSteps(store, computers, policies, progress, clock);
    }

    /** A damaged rollovers file costs the rollover service (logged, naming it), not the fleet. */
    @Activate
    public void open() throws IOException {
        try {
            state.acrossServers(() -> {
                openHere();
                return null;
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private synchronized void openHere() throws IOException {
        watch = storage.watchRollovers(this::changedElsewhere);
        try {
            RolloversRecord content = storage.readRollovers();
            rollovers.putAll(content.rollovers());
            nextId = content.nextId();
            reconcile();
            publish();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "rollovers not available: " + storage.rolloversLocation() + " cannot be read ("
                    + e.getMessage() + "); the file is left as it is", e);
            throw e;
        }
    }

    @Deactivate
    synchronized void close() {
        watch.close();
    }

    /** Takes the rollovers another server stored since this one read them; the caller holds this lock. */
    private void catchUp() {
        try {
            storage.rolloversIfChanged().ifPresent(content -> {
                rollovers.clear();
                rollovers.putAll(content.rollovers());
                nextId = content.nextId();
                publish();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + storage.rolloversLocation() + ": " + e.getMessage(), e);
        }
    }

    /** From the storage's watch (its thread). */
    private synchronized void changedElsewhere() {
        try {
            catchUp();
        } catch (RuntimeException e) {
            LOG.warning(e.getMessage()); // read again at the next change here or there
        }
    }

    @Modified
    void modified(FleetConfiguration config) {
        wait = Duration.ofHours(config.rollover_wait_hours());
    }

    /** Steps whose effect the store shows already (a crash between the change and its record). */
    private void reconcile() throws IOException {
        boolean changed = false;
        for (RolloverRecord r : rollovers.values()) {
            if (r.completed == 4 && r.newServerCertificateId != 0
                    && store.serverCertificate().map(c -> c.id() == r.newServerCertificateId).orElse(false)) {
                complete(r, RolloverStep.SWITCH_SERVER_CERTIFICATE, "system",
                        "server certificate " + r.newServerCertificateId + " found in use after a restart");
                changed = true;
            }
            if (r.completed == 5 && store.ca(r.oldCaId).map(ca -> ca.status() == CaStatus.DELETED).orElse(true)) {
                complete(r, RolloverStep.RETIRE_OLD_CA, "system", "old CA " + r.oldCaId + " found deleted after a restart");
                changed = true;
            }
            if (!r.done()) {
                LOG.info("rollover " + r.id + " of CA " + r.oldCaId + " resumes after step " + r.completed);
            }
        }
        if (changed) {
            save();
        }
    }

    // ------------------------------------------------------------------ service

    @Override
    public synchronized List<Rollover> rollovers() {
        return rollovers.values().stream().map(progress::view).toList();
    }

    @Override
    public synchronized Optional<Rollover> rollover(long id) {
        return Optional.ofNullable(rollovers.get(id)).map(progress::view);
    }

    @Override
    public Rollover start(long oldCaId, RolloverOptions options, String actor) {
        return state.acrossServers(() -> startHere(oldCaId, options, actor));
    }

    private synchronized Rollover startHere(long oldCaId, RolloverOptions options, String actor) {
        catchUp();
        RolloverOptions o = options == null ? RolloverOptions.defaults() : options;
        try {
            CaInfo old = store.ca(oldCaId).orElseThrow(() -> refused("there is no CA " + oldCaId));
            if (old.status() == CaStatus.DELETED) {
                throw refused("CA " + oldCaId + " is deleted");
            }
            for (RolloverRecord r : rollovers.values()) {
                if (!r.done() && (r.oldCaId == oldCaId || r.newCaId == oldCaId)) {
                    throw refused("CA " + oldCaId + " is already in rollover " + r.id + " (after step " + r.completed
                            + "); finish that one first");
                }
            }
            if (o.caValidity() != null && (o.caValidity().isNegative() || o.caValidity().isZero())) {
                throw refused("the new CA's validity must be positive");
            }
            if (o.certificateValidity() != null
                    && (o.certificateValidity().isNegative() || o.certificateValidity().isZero())) {
                throw refused("the new certificates' validity must be positive");
            }
            if (o.certificateValidity() != null && o.caValidity() != null
                    && o.certificateValidity().compareTo(o.caValidity()) > 0) {
                throw refused("new peer certificates valid for " + o.certificateValidity().toDays()
                        + " days would end after the new CA (valid for " + o.caValidity().toDays() + " days)");
            }
        } catch (RolloverRefusedException e) {
            state.record(actor, "rollover.start", "ca:" + oldCaId, "refused: " + e.getMessage());
            throw e;
        }
        RolloverRecord r = new RolloverRecord(nextId++, oldCaId, actor, clock.instant());
        r.certificateValiditySeconds = o.certificateValidity() == null ? 0 : o.certificateValidity().getSeconds();
        rollovers.put(r.id, r);
        state.record(actor, "rollover.start", "rollover:" + r.id, "ok: CA " + oldCaId);
        try {
            return step(r, RolloverStep.CREATE_CA, actor, () -> steps.createCa(r, o, actor));
        } catch (RolloverRefusedException e) {
            // nothing was created: the rollover does not stay behind to block a corrected start
            rollovers.remove(r.id);
            save();
            throw e;
        }
    }

    @Override
    public Rollover advance(long id, String actor) {
        return state.acrossServers(() -> advanceHere(id, ANY_STEP, actor));
    }

    @Override
    public Rollover advance(long id, int from, String actor) {
        if (from < 0 || from > RolloverStep.values().length) {
            throw new IllegalArgumentException("from must be the number of steps done, 0 to "
                    + RolloverStep.values().length + ", not " + from);
        }
        return state.acrossServers(() -> advanceHere(id, from, actor));
    }

    private synchronized Rollover advanceHere(long id, int from, String actor) {
        catchUp();
        RolloverRecord r = require(id);
        if (from != ANY_STEP && r.completed != from) {
            // someone else advanced it since the caller looked: doing the next step now would be a step they never saw
            String now = where(r);
            state.record(actor, "rollover.advance", "rollover:" + id, "refused: not after step " + from + ", " + now);
            throw refused("rollover " + id + " is no longer after step " + from + ": it is " + now
                    + "; nothing was done, look at it again before advancing");
        }
        RolloverStep next = nextOf(r, actor);
        return switch (next) {
            case CREATE_CA -> step(r, next, actor, () -> steps.createCa(r, RolloverOptions.defaults(), actor));
            case ISSUE_CERTIFICATES -> step(r, next, actor, () -> steps.issue(r, actor));
            case CREATE_POLICIES -> step(r, next, actor, () -> steps.policies(r, wait, actor));
            case WAIT_FOR_REPLICATION -> step(r, next, actor, () -> steps.awaitReplication(r));
            case SWITCH_SERVER_CERTIFICATE -> step(r, next, actor, () -> steps.switchServer(r, actor));
            case RETIRE_OLD_CA -> step(r, next, actor, () -> steps.retire(r, null, actor));
        };
    }

    @Override
    public Rollover force(long id, String reason, String actor) {
        return state.acrossServers(() -> forceHere(id, reason, actor));
    }

    private synchronized Rollover forceHere(long id, String reason, String actor) {
        catchUp();
        RolloverRecord r = require(id);
        RolloverStep next = nextOf(r, actor);
        if (next != RolloverStep.RETIRE_OLD_CA) {
            // a request that does not fit the rollover's state; the step itself is not blocked by it
            state.record(actor, "rollover.force", "rollover:" + id, "refused: at step " + next.number());
            throw refused("only step 6 can be forced; rollover " + id + " is at step " + next.number() + " ("
                    + next.title() + ")");
        }
        if (reason == null || reason.isBlank()) {
            throw blocked(r, next, actor, refused("forcing step 6 needs a reason (it is recorded)"));
        }
        return step(r, next, actor, () -> steps.retire(r, reason.strip(), actor));
    }

    @Override
    public int requestEarlyReplication(long id, String actor) {
        return state.acrossServers(() -> requestEarlyReplicationHere(id, actor));
    }

    private synchronized int requestEarlyReplicationHere(long id, String actor) {
        catchUp();
        RolloverRecord r = require(id);
        List<Long> missing = new ArrayList<>();
        for (RolloverComputer c : progress.computers(r)) {
            if (c.readiness() != RolloverComputer.Readiness.READY || c.lastCaId() == r.oldCaId) {
                missing.add(c.computerId());
            }
        }
        return computers.requestEarlyReplication(missing, "rollover " + id, actor);
    }

    // ------------------------------------------------------------------ step bookkeeping

    @FunctionalInterface
    private interface StepWork {
        String run();
    }

    /** Where a rollover is, for a refusal: its last step done, by whom, and what comes next. */
    private static String where(RolloverRecord r) {
        if (r.completed == 0) {
            return "before step 1";
        }
        StepState last = r.steps[r.completed - 1];
        return "after step " + r.completed + " (" + last.step().title() + (last.actor().isEmpty() ? "" : ", done by "
                + last.actor()) + ")" + (r.done() ? ", done" : "; next is step " + (r.completed + 1));
    }

    private RolloverStep nextOf(RolloverRecord r, String actor) {
        if (r.done()) {
            state.record(actor, "rollover.advance", "rollover:" + r.id, "refused: done");
            throw refused("rollover " + r.id + " is done");
        }
        return RolloverStep.of(r.completed + 1);
    }

    private Rollover step(RolloverRecord r, RolloverStep s, String actor, StepWork work) {
        String detail;
        try {
            detail = work.run();
        } catch (RolloverRefusedException e) {
            throw blocked(r, s, actor, e);
        } catch (CertificateStoreException | IllegalArgumentException e) {
            throw blocked(r, s, actor, refused(e.getMessage()));
        }
        complete(r, s, actor, detail);
        save();
        return progress.view(r);
    }

    private void complete(RolloverRecord r, RolloverStep s, String actor, String detail) {
        r.steps[s.ordinal()] = new StepState(s, StepState.Status.DONE, clock.instant(), actor, detail);
        r.completed = s.number();
        state.record(actor, "rollover.step" + s.number() + (r.forceReason.isEmpty() || s != RolloverStep.RETIRE_OLD_CA
                ? "" : "-forced"), "rollover:" + r.id, "ok: " + detail);
        LOG.info("rollover " + r.id + " step " + s.number() + " (" + s.title() + ") done by " + actor + ": " + detail);
        post(Topics.ROLLOVER_STEP_COMPLETED, r, s, actor, detail);
        publish();
    }

    private RolloverRefusedException blocked(RolloverRecord r, RolloverStep s, String actor, RolloverRefusedException e) {
        r.steps[s.ordinal()] = new StepState(s, StepState.Status.BLOCKED, clock.instant(), actor, e.getMessage());
        if (rollovers.containsKey(r.id)) {
            save();
        }
        state.record(actor, "rollover.step" + s.number(), "rollover:" + r.id, "refused: " + e.getMessage());
        LOG.warning("rollover " + r.id + " step " + s.number() + " (" + s.title() + ") refused: " + e.getMessage());
        post(Topics.ROLLOVER_STEP_BLOCKED, r, s, actor, e.getMessage());
        return e;
    }

    private void post(String topic, RolloverRecord r, RolloverStep s, String actor, String reason) {
        Map<String, Object> p = new HashMap<>();
        p.put("rollover.id", r.id);
        p.put("step", s.number());
        p.put("step.name", s.title());
        p.put("old.ca.id", r.oldCaId);
        p.put("new.ca.id", r.newCaId);
        p.put("actor", actor == null ? "" : actor);
        p.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) + " …" : reason);
        state.post(topic, p);
    }

    private void save() {
        try {
            storage.writeRollovers(nextId, rollovers.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + storage.rolloversLocation() + ": " + e.getMessage(), e);
        }
    }

    private void publish() {
        running = rollovers.values().stream().filter(r -> !r.done()).toList();
    }

    private RolloverRecord require(long id) {
        RolloverRecord r = rollovers.get(id);
        if (r == null) {
            throw refused("there is no rollover " + id);
        }
        return r;
    }

    static RolloverRefusedException refused(String message) {
        return new RolloverRefusedException(message, List.of());
    }

    static RolloverRefusedException refused(String message, List<String> blockers) {
        return new RolloverRefusedException(message, blockers);
    }

    // ------------------------------------------------------------------ CA deletion guard

    @Override
    public List<String> blockingReasons(CaInfo ca) {
        List<String> out = new ArrayList<>();
        for (RolloverRecord r : running) {
            if (ca.id() == r.newCaId) {
                out.add("CA " + ca.id() + " is the new CA of rollover " + r.id + " (after step " + r.completed + ")");
            } else if (ca.id() == r.oldCaId && r.completed < 5) {
                out.add("rollover " + r.id + " replaces CA " + ca.id() + "; it is deleted by its step 6");
            }
        }
        return out;
    }
}
