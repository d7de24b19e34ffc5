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
                    ex.json(200, Paging.of(ex).json(all, rollover -> json(rollover)));
                })
                .on("POST", "rollover", this::start)
                .on("GET", "rollover/*", (ex, p) -> {
                    long id = Api.id(p[1], "rollover");
                    Rollover rollover = call(s -> s.rollover(id)).orElseThrow(() -> Problem.notFound("rollover " + id));
                    ex.json(200, json(rollover));
                })
                .on("POST", "rollover/*/advance", (ex, p) -> {
                    Rollover r = call(s -> s.advance(Api.id(p[1], "rollover"), actor(ex)));
                    ex.json(200, json(r));
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
                () -> new Problem(503, "the rollover service is not available (is the fleet bundle running?)"));
        try {
            return work.apply(service);
        } catch (RolloverRefusedException e) {
            // the service audits its refusals itself, with the actor and address it is given
            throw new Problem(409, e.getMessage()).audited();
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest(e.getMessage());
        }
    }

    static Map<String, Object> json(Rollover r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("oldCaId", r.oldCaId());
        m.put("newCaId", r.newCaId());
        m.put("state", r.state().name());
        m.put("completed", r.completed());
        m.put("next", r.next() == null ? null : r.next().number());
        m.put("startedBy", r.startedBy());
        m.put("startedAt", iso(r.startedAt()));
        m.put("oldServerCertificateId", r.oldServerCertificateId());
        m.put("newServerCertificateId", r.newServerCertificateId());
        m.put("policyIds", r.policyIds());
        m.put("waitUntil", iso(r.waitUntil()));
        m.put("forcedBy", r.forcedBy());
        m.put("forceReason", r.forceReason());
        m.put("blockers", r.blockers());
        m.put("steps", r.steps().stream().map(RolloverApi::json).toList());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (RolloverComputer.Readiness x : RolloverComputer.Readiness.values()) {
            counts.put(x.name(), r.count(x));
        }
        m.put("computerCounts", counts);
        m.put("computers", r.computers().stream().map(RolloverApi::json).toList());
        return m;
    }

    private static Map<String, Object> json(StepState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", s.step().number());
        m.put("name", s.step().title());
        m.put("status", s.status().name());
        m.put("at", iso(s.at()));
        m.put("actor", s.actor());
        m.put("detail", s.detail());
        return m;
    }

    private static Map<String, Object> json(RolloverComputer c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("computerId", c.computerId());
        m.put("name", c.name());
        m.put("group", c.group());
        m.put("readiness", c.readiness().name());
        m.put("replicationsSincePolicy", c.replicationsSincePolicy());
        m.put("applied", c.applied());
        m.put("lastCaId", c.lastCaId());
        m.put("lastAuthenticated", iso(c.lastAuthenticated()));
        return m;
    }

    private static String iso(Instant i) {
        return i == null ? null : i.toString();
    }
}
