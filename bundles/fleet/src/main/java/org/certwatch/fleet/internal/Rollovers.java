package org.certwatch.fleet.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverRefusedException;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.rollover.RolloverStep;
import org.certwatch.api.rollover.StepState;
import org.certwatch.api.store.CaDeletionGuard;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;

/**
 * The six-step CA rollover. Each step is idempotent: what it creates in the store and the fleet carries
 * the rollover's tag, so a step interrupted by a crash finds its own work when it runs again, and on
 * open the steps whose effect is already visible in the store (server certificate switched, old CA
 * deleted) are marked done. The record of each completed step is written durably before the call
 * returns. One lock (this object) serialises steps; the CA deletion guard reads a volatile snapshot
 * instead, since the store calls it under its own lock.
 */
final class Rollovers implements RolloverService, CaDeletionGuard {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");

    private final Fleet fleet;
    private final CertificateStore store;
    private final Clock clock;
    private final RolloverFile file;
    private final Supplier<Duration> wait;
    private final BiConsumer<String, Map<String, Object>> events;
    private final Map<Long, RolloverRecord> rollovers;
    private final RolloverProgress progress;
    private long nextId;
    private volatile List<RolloverRecord> running = List.of();

    Rollovers(Fleet fleet, RolloverFile file, Supplier<Duration> wait, BiConsumer<String, Map<String, Object>> events)
            throws IOException {
        this.fleet = fleet;
        this.store = fleet.store();
        this.clock = fleet.clock();
        this.file = file;
        this.wait = wait;
        this.events = events;
        this.progress = new RolloverProgress(fleet, store, clock);
        RolloverFile.Content content = file.load();
        this.rollovers = new TreeMap<>(content.rollovers());
        this.nextId = content.nextId();
        synchronized (this) {
            reconcile();
            publish();
        }
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
    public synchronized Rollover start(long oldCaId, RolloverOptions options, String actor) {
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
            fleet.record(actor, "rollover.start", "ca:" + oldCaId, "refused: " + e.getMessage());
            throw e;
        }
        RolloverRecord r = new RolloverRecord(nextId++, oldCaId, actor, clock.instant());
        r.certificateValiditySeconds = o.certificateValidity() == null ? 0 : o.certificateValidity().getSeconds();
        rollovers.put(r.id, r);
        fleet.record(actor, "rollover.start", "rollover:" + r.id, "ok: CA " + oldCaId);
        try {
            return step(r, RolloverStep.CREATE_CA, actor, () -> createCa(r, o, actor));
        } catch (RolloverRefusedException e) {
            // nothing was created: the rollover does not stay behind to block a corrected start
            rollovers.remove(r.id);
            save();
            throw e;
        }
    }

    @Override
    public synchronized Rollover advance(long id, String actor) {
        RolloverRecord r = require(id);
        RolloverStep next = nextOf(r, actor);
        return switch (next) {
            case CREATE_CA -> step(r, next, actor, () -> createCa(r, RolloverOptions.defaults(), actor));
            case ISSUE_CERTIFICATES -> step(r, next, actor, () -> issue(r, actor));
            case CREATE_POLICIES -> step(r, next, actor, () -> policies(r, actor));
            case WAIT_FOR_REPLICATION -> step(r, next, actor, () -> awaitReplication(r));
            case SWITCH_SERVER_CERTIFICATE -> step(r, next, actor, () -> switchServer(r, actor));
            case RETIRE_OLD_CA -> step(r, next, actor, () -> retire(r, null, actor));
        };
    }

    @Override
    public synchronized Rollover force(long id, String reason, String actor) {
        RolloverRecord r = require(id);
        RolloverStep next = nextOf(r, actor);
        if (next != RolloverStep.RETIRE_OLD_CA) {
            // a request that does not fit the rollover's state; the step itself is not blocked by it
            fleet.record(actor, "rollover.force", "rollover:" + id, "refused: at step " + next.number());
            throw refused("only step 6 can be forced; rollover " + id + " is at step " + next.number() + " ("
                    + next.title() + ")");
        }
        if (reason == null || reason.isBlank()) {
            throw blocked(r, next, actor, refused("forcing step 6 needs a reason (it is recorded)"));
        }
        return step(r, next, actor, () -> retire(r, reason.strip(), actor));
    }

    @Override
    public synchronized int requestEarlyReplication(long id, String actor) {
        RolloverRecord r = require(id);
        List<Long> missing = new ArrayList<>();
        for (RolloverComputer c : progress.computers(r)) {
            if (c.readiness() != RolloverComputer.Readiness.READY || c.lastCaId() == r.oldCaId) {
                missing.add(c.computerId());
            }
        }
        return fleet.requestEarlyReplication(missing, "rollover " + id, actor);
    }

    // ------------------------------------------------------------------ steps

    /** Step 1: the new CA, valid from now (the store backdates by its clock-skew margin). */
    private String createCa(RolloverRecord r, RolloverOptions o, String actor) {
        CaInfo old = store.ca(r.oldCaId).orElseThrow(() -> refused("there is no CA " + r.oldCaId));
        String description = r.tag() + ": new CA for CA " + r.oldCaId;
        Optional<CaInfo> existing = store.cas().stream()
                .filter(ca -> ca.description().equals(description) && ca.status() == CaStatus.ACTIVE).findFirst();
        CaInfo ca = existing.orElseGet(() -> {
            Duration validity = o.caValidity() != null ? o.caValidity() : Duration.between(old.notBefore(), old.notAfter());
            String subject = o.subject() != null && !o.subject().isBlank() ? o.subject() : derivedSubject(old, r.id);
            return store.createCa(new CaRequest(subject, null, validity, description, old.homeGroup()), actor);
        });
        r.newCaId = ca.id();
        return "new CA " + ca.id() + " (" + ca.subject() + ") valid " + ca.notBefore() + " to " + ca.notAfter();
    }

    static String derivedSubject(CaInfo old, long rolloverId) {
        String subject = old.subject();
        return subject.matches("(?s).*CN=[^,]+.*") ? subject.replaceFirst("CN=([^,]+)", "CN=$1 (rollover " + rolloverId + ")")
                : "CN=" + subject + " (rollover " + rolloverId + ")";
    }

    /** Step 2: one AGENT certificate per targeted computer and the server's, all inside the new CA. */
    private String issue(RolloverRecord r, String actor) {
        CaInfo ca = activeNewCa(r);
        Instant now = clock.instant();
        Instant notAfter = r.certificateValiditySeconds == 0 ? null : now.plusSeconds(r.certificateValiditySeconds);
        record Target(long id, String name, String host, String group) {
        }
        List<Target> targets = fleet.inspect(all -> all.stream()
                .filter(c -> progress.issuedByOld(r, c))
                .map(c -> new Target(c.id, c.name, Replication.hostOf(c), c.group)).toList());
        Optional<CertificateInfo> server = store.serverCertificate().filter(c -> c.caId() == r.oldCaId);
        if (notAfter != null && notAfter.isAfter(ca.notAfter())) {
            List<String> names = new ArrayList<>();
            server.ifPresent(c -> names.add("the server certificate (host " + c.host() + ")"));
            targets.stream().limit(RolloverProgress.NAMED).forEach(t -> names.add("the certificate of computer " + t.name));
            throw refused("new peer certificates would end at " + notAfter + ", after the new CA's end "
                    + ca.notAfter(), names);
        }
        Map<String, CertificateInfo> mine = new HashMap<>();
        for (CertificateInfo c : store.certificates(CertificateQuery.all().withCa(ca.id()).withRevoked(false))) {
            if (c.description().startsWith(r.tag() + ":")) {
                mine.put(c.description(), c);
            }
        }
        List<IssueRequest> requests = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        if (server.isPresent()) {
            CertificateInfo old = server.get();
            String d = r.tag() + ": server";
            if (!mine.containsKey(d)) {
                requests.add(new IssueRequest(ca.id(), Role.SERVER, old.host(), old.alternativeNames(), null, d,
                        old.homeGroup(), null, notAfter));
                descriptions.add(d);
            }
        }
        for (Target t : targets) {
            String d = r.tag() + ": computer " + t.id;
            if (!mine.containsKey(d)) {
                requests.add(new IssueRequest(ca.id(), Role.AGENT, t.host, List.of(), null, d, t.group, null, notAfter));
                descriptions.add(d);
            }
        }
        if (!requests.isEmpty()) {
            for (CertificateInfo c : store.issueAll(requests, actor)) {
                mine.put(c.description(), c);
            }
        }
        List<String> beyond = mine.values().stream().filter(c -> c.notAfter().isAfter(ca.notAfter()))
                .map(c -> "certificate " + c.id() + " (" + c.subject() + ") ends " + c.notAfter()).toList();
        if (!beyond.isEmpty()) {
            throw refused("new peer certificates end after the new CA's end " + ca.notAfter(), beyond);
        }
        r.oldServerCertificateId = server.map(CertificateInfo::id).orElse(0L);
        CertificateInfo newServer = mine.get(r.tag() + ": server");
        r.newServerCertificateId = newServer == null ? 0 : newServer.id();
        r.targets.clear();
        for (Target t : targets) {
            r.targets.put(t.id, mine.get(r.tag() + ": computer " + t.id).id());
        }
        return "issued " + targets.size() + " agent certificate(s)" + (newServer == null ? ""
                : " and server certificate " + newServer.id()) + " from CA " + ca.id() + " ("
                + (descriptions.size()) + " new)";
    }

    /** Step 3: a policy per group of targeted computers that delivers their new certificate and trusts both CAs. */
    private String policies(RolloverRecord r, String actor) {
        CaInfo ca = activeNewCa(r);
        Map<Long, String> groups = fleet.inspect(all -> {
            Map<Long, String> m = new LinkedHashMap<>();
            all.forEach(c -> {
                if (r.targets.containsKey(c.id)) {
                    m.put(c.id, c.group);
                }
            });
            return m;
        });
        Map<String, Long> policyByGroup = new TreeMap<>();
        for (Policy p : fleet.policies()) {
            if (p.description().equals(r.tag()) && p.issuingCaId() == ca.id()) {
                policyByGroup.put(p.group(), p.id());
            }
        }
        for (String group : new java.util.TreeSet<>(groups.values())) {
            if (!policyByGroup.containsKey(group)) {
                Policy p = fleet.createPolicy(group, Role.AGENT, 0, ca.id(), List.of(r.oldCaId, ca.id()), r.tag(), actor);
                policyByGroup.put(group, p.id());
            }
        }
        try {
            fleet.assignPolicyCertificates(policyByGroup, r.targets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        r.policyIds.clear();
        r.policyIds.addAll(policyByGroup.values());
        r.waitUntil = clock.instant().plus(wait.get());
        return "policies " + r.policyIds + " on " + policyByGroup.keySet() + " deliver the new certificates to "
                + r.targets.size() + " computer(s), trusting CAs " + r.oldCaId + " and " + ca.id()
                + "; step 4 waits until " + r.waitUntil + " at most";
    }

    /** Step 4's gate: every targeted computer applied its new certificate and replicated twice, or the wait is over. */
    private String awaitReplication(RolloverRecord r) {
        List<String> missing = progress.notReady(r);
        if (missing.isEmpty()) {
            return "all " + r.targets.size() + " computer(s) applied their new certificate and replicated twice";
        }
        if (r.waitUntil != null && !clock.instant().isBefore(r.waitUntil)) {
            return "the wait ended at " + r.waitUntil + "; " + missing.size() + " computer(s) not ready: "
                    + String.join(", ", missing.subList(0, Math.min(RolloverProgress.NAMED, missing.size())));
        }
        throw refused(missing.size() + " computer(s) have not applied their new certificate and replicated twice (or wait until "
                + r.waitUntil + ")", RolloverProgress.named(missing));
    }

    /** Step 5: the server presents its new certificate, live. */
    private String switchServer(RolloverRecord r, String actor) {
        if (r.newServerCertificateId == 0) {
            return "the server certificate " + store.serverCertificate().map(c -> c.id() + " ").orElse("")
                    + "is not from the old CA; unchanged";
        }
        if (store.serverCertificate().map(c -> c.id() != r.newServerCertificateId).orElse(true)) {
            store.setServerCertificate(r.newServerCertificateId, actor);
        }
        return "the server presents certificate " + r.newServerCertificateId + " (was " + r.oldServerCertificateId + ")";
    }

    /** Step 6: revoke what the old CA issued (CRL re-issued) and delete it; refused while computers use it, unless forced. */
    private String retire(RolloverRecord r, String forceReason, String actor) {
        CaInfo old = store.ca(r.oldCaId).orElseThrow(() -> refused("there is no CA " + r.oldCaId));
        if (store.serverCertificate().map(c -> c.caId() == r.oldCaId).orElse(false)) {
            throw refused("the server still presents a certificate of the old CA " + r.oldCaId);
        }
        List<String> stragglers = progress.stragglers(r);
        if (!stragglers.isEmpty() && forceReason == null) {
            throw refused(stragglers.size() + " computer(s) last authenticated with a certificate of the old CA "
                    + r.oldCaId, RolloverProgress.named(stragglers));
        }
        int revoked = 0;
        if (old.status() == CaStatus.ACTIVE) {
            Instant now = clock.instant();
            List<Long> ids = store.certificates(CertificateQuery.all().withCa(r.oldCaId).withRevoked(false)).stream()
                    .filter(c -> c.notAfter().isAfter(now)).map(CertificateInfo::id).toList();
            revoked = store.revokeAll(ids, RevocationReason.SUPERSEDED, actor).size();
            String why = forceReason == null ? null
                    : "rollover " + r.id + " forced by " + actor + ": " + forceReason;
            store.deleteCa(r.oldCaId, why, actor);
        }
        if (forceReason != null) {
            r.forcedBy = actor;
            r.forceReason = forceReason;
        }
        return "revoked " + revoked + " certificate(s) of CA " + r.oldCaId + " (CRL re-issued) and deleted it"
                + (forceReason == null ? "" : "; FORCED by " + actor + " (" + forceReason + ") over "
                        + stragglers.size() + " computer(s) still on the old CA: "
                        + String.join(", ", stragglers.subList(0, Math.min(RolloverProgress.NAMED, stragglers.size()))));
    }

    private CaInfo activeNewCa(RolloverRecord r) {
        CaInfo ca = store.ca(r.newCaId).orElseThrow(() -> refused("the new CA " + r.newCaId + " does not exist"));
        if (ca.status() == CaStatus.DELETED) {
            throw refused("the new CA " + r.newCaId + " was deleted");
        }
        return ca;
    }

    // ------------------------------------------------------------------ step bookkeeping

    @FunctionalInterface
    private interface StepWork {
        String run();
    }

    private RolloverStep nextOf(RolloverRecord r, String actor) {
        if (r.done()) {
            fleet.record(actor, "rollover.advance", "rollover:" + r.id, "refused: done");
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
        fleet.record(actor, "rollover.step" + s.number() + (r.forceReason.isEmpty() || s != RolloverStep.RETIRE_OLD_CA
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
        fleet.record(actor, "rollover.step" + s.number(), "rollover:" + r.id, "refused: " + e.getMessage());
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
        events.accept(topic, p);
    }

    private void save() {
        try {
            file.save(nextId, rollovers.values());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.path() + ": " + e.getMessage(), e);
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

    private static RolloverRefusedException refused(String message) {
        return new RolloverRefusedException(message, List.of());
    }

    private static RolloverRefusedException refused(String message, List<String> blockers) {
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
