package org.certwatch.web.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverRefusedException;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.rollover.StepState;

/**
 * {@code /api/v1/rollover}: the fleet bundle's {@link RolloverService}, asked for per request (it comes
 * and goes with the fleet bundle). A rollover concerns the whole fleet, so only administrators whose home
 * group is the root see it; for everyone else it does not exist (404). A refused step answers 409 with a
 * title that names what blocks it; nothing changes.
 */
final class RolloverApi {
    record StartBody(Long caId, String subject, Integer caValidityDays, Integer certificateValidityDays) {
    }

    record ForceBody(String reason) {
    }

    /** {@code from}: the steps done when the caller looked; without it (or without a body) any step goes. */
    record AdvanceBody(Integer from) {
    }

    /** What {@code POST …/rollover/{id}/<action>} does. */
    static final java.util.Set<String> ACTIONS = java.util.Set.of("advance", "early-replication", "force");

    private final Services services;

    RolloverApi(Services services) {
        this.services = services;
    }

    void routes(Router routes) {
        routes.before(Router.ANY, "rollover/**", (ex, p) -> requireAdministrator(ex.scope))
                .before(Router.ANY, "rollover/*/**", (ex, p) -> {
                    long id = Api.id(p[1], "rollover");
                    if (p.length == 3 && ACTIONS.contains(p[2])) {
                        ex.auditAs("web.rollover." + p[2], "rollover:" + id);
                    }
                })
                .on("GET", "rollover", (ex, p) -> {
                    List<Rollover> all = call(RolloverService::rollovers);
                    ex.json(200, Paging.of(ex).json(all, RolloverApi::json));
                })
                .on("POST", "rollover", this::start)
                .on("GET", "rollover/*", (ex, p) -> {
                    long id = Api.id(p[1], "rollover");
                    Rollover rollover = call(s -> s.rollover(id)).orElseThrow(() -> Problem.notFound("rollover " + id));
                    ex.json(200, json(rollover));
                })
                .on("POST", "rollover/*/advance", (ex, p) -> {
                    byte[] body = ex.body();
                    Integer from = body.length == 0 ? null : Json.read(body, AdvanceBody.class).from();
                    ex.json(200, json(call(advance(Api.id(p[1], "rollover"), from, actor(ex)))));
                })
                .on("POST", "rollover/*/force", (ex, p) -> {
                    ForceBody b = Json.read(ex.body(), ForceBody.class);
                    Rollover r = call(s -> s.force(Api.id(p[1], "rollover"), b.reason(), actor(ex)));
                    ex.json(200, json(r));
                })
                .on("POST", "rollover/*/early-replication", (ex, p) -> ex.json(200,
                        Map.of("asked", call(s -> s.requestEarlyReplication(Api.id(p[1], "rollover"), actor(ex))))))
                .otherwise("rollover/**", (ex, p) -> new Problem(405, ex.method + " " + ex.path + " is not supported"));
    }

    private void start(Exchange ex, String[] p) {
        ex.auditAs("web.rollover.start", "rollover:new");
        StartBody b = Json.read(ex.body(), StartBody.class);
        if (b.caId() == null) {
            throw Problem.badRequest("caId (the CA to replace) is required");
        }
        RolloverOptions options = new RolloverOptions(b.subject(), days(b.caValidityDays(), "caValidityDays"),
                days(b.certificateValidityDays(), "certificateValidityDays"));
        Rollover r = call(s -> s.start(b.caId(), options, actor(ex)));
        ex.response.getHeaders().put("Location", Api.PREFIX + "rollover/" + r.id());
        ex.json(201, json(r));
    }

    /**
     * The advance a request asks for: with {@code from}, only from that step (a second admin's click on the
     * same step is refused, not a second step); without it, whatever the next step is, as scripts did before.
     */
    static Function<RolloverService, Rollover> advance(long id, Integer from, String actor) {
        return from == null ? s -> s.advance(id, actor) : s -> s.advance(id, from, actor);
    }

    private static String actor(Exchange ex) {
        return ex.scope.user() + " from " + ex.remote();
    }

    static boolean isAvailableTo(UserScope scope) {
        return scope.has(Permission.ADMINISTRATION) && scope.homeGroup().equals(Group.ROOT);
    }

    static void requireAdministrator(UserScope scope) {
        if (!isAvailableTo(scope)) {
            throw Problem.notFound("rollover");
        }
    }

    private static Duration days(Integer value, String field) {
        if (value == null) {
            return null;
        }
        if (value < 1 || value > 36_500) {
            throw Problem.badRequest(field + " must be between 1 and 36500");
        }
        return Duration.ofDays(value);
    }

    /** Runs against the fleet's rollover service; 503 without it, 409 when a gate refuses. */
    <T> T call(Function<RolloverService, T> work) {
        RolloverService service = services.rollovers().orElseThrow(
                () -> Problem.unavailable("the rollover service is not available (is the fleet bundle running?)"));
        try {
            return work.apply(service);
        } catch (RolloverRefusedException e) {
            // the service audits its refusals itself, with the actor and address it is given
            throw new Problem(409, e.getMessage()).audited();
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    /** A rollover as the API shows it, with its steps, its computers and how many of them are in each state. */
    record RolloverJson(long id, long oldCaId, long newCaId, String state, int completed, Integer next,
            String startedBy, String startedAt, long oldServerCertificateId, long newServerCertificateId,
            List<Long> policyIds, String waitUntil, String forcedBy, String forceReason, List<String> blockers,
            List<Step> steps, Map<String, Long> computerCounts, List<Computer> computers) {
    }

    record Step(int step, String name, String status, String at, String actor, String detail) {
    }

    record Computer(long computerId, String name, String group, String readiness, int replicationsSincePolicy,
            boolean applied, long lastCaId, String lastAuthenticated) {
    }

    static RolloverJson json(Rollover r) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (RolloverComputer.Readiness x : RolloverComputer.Readiness.values()) {
            counts.put(x.name(), r.count(x));
        }
        return new RolloverJson(r.id(), r.oldCaId(), r.newCaId(), r.state().name(), r.completed(),
                r.next() == null ? null : r.next().number(), r.startedBy(), iso(r.startedAt()),
                r.oldServerCertificateId(), r.newServerCertificateId(), r.policyIds(), iso(r.waitUntil()), r.forcedBy(),
                r.forceReason(), r.blockers(), r.steps().stream().map(RolloverApi::step).toList(), counts,
                r.computers().stream().map(RolloverApi::computer).toList());
    }

    private static Step step(StepState s) {
        return new Step(s.step().number(), s.step().title(), s.status().name(), iso(s.at()), s.actor(), s.detail());
    }

    private static Computer computer(RolloverComputer c) {
        return new Computer(c.computerId(), c.name(), c.group(), c.readiness().name(), c.replicationsSincePolicy(),
                c.applied(), c.lastCaId(), iso(c.lastAuthenticated()));
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }
}
