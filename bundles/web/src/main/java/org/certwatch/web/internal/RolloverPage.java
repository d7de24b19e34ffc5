package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverService;
import org.certwatch.api.rollover.StepState;

/**
 * {@code /rollover}: every rollover with its six steps, the computers ready / waiting / never seen and
 * what blocks the next step, with forms to start one, advance, ask the missing computers to replicate
 * early and force step 6 with a reason. Administrators of the root group only (like the API).
 */
final class RolloverPage {
    private final RolloverApi api;

    RolloverPage(RolloverApi api) {
        this.api = api;
    }

    void routes(Router r) {
        r.before(Router.ANY, "rollover/**", (ex, p) -> RolloverApi.requireAdministrator(ex.scope))
                // every action names its rollover by id first: an id that is none is "not found" whatever follows
                .before("POST", "rollover/*/*", (ex, p) -> {
                    long id = Api.id(p[1], "rollover");
                    if (RolloverApi.ACTIONS.contains(p[2])) {
                        ex.auditAs("web.rollover." + p[2], "rollover:" + id);
                    }
                })
                .on("GET", "rollover", (ex, p) -> ex.html(200, Html.page("Rollover", ex.scope,
                        ex.session == null ? null : ex.session.csrf(),
                        list(api.call(s -> s.rollovers()), ex.session == null ? null : ex.session.csrf()))))
                .on("POST", "rollover", (ex, p) -> {
                    ex.auditAs("web.rollover.start", "rollover:new");
                    Map<String, String> f = ex.form();
                    long caId = Api.id(f.getOrDefault("caId", ""), "CA");
                    String days = f.getOrDefault("caValidityDays", "");
                    RolloverOptions options = new RolloverOptions(blank(f.get("subject")) ? null : f.get("subject"),
                            days.isBlank() ? null : Duration.ofDays(Api.id(days, "caValidityDays")), null);
                    Rollover rollover = api.call(s -> s.start(caId, options, actor(ex)));
                    ex.redirect("/rollover#r" + rollover.id());
                })
                .on("POST", "rollover/*/advance", (ex, p) -> act(ex, p,
                        RolloverApi.advance(Api.id(p[1], "rollover"), from(ex.form().get("from")), actor(ex))))
                .on("POST", "rollover/*/early-replication", (ex, p) -> act(ex, p,
                        s -> s.requestEarlyReplication(Api.id(p[1], "rollover"), actor(ex))))
                .on("POST", "rollover/*/force", (ex, p) -> act(ex, p,
                        s -> s.force(Api.id(p[1], "rollover"), ex.form().get("reason"), actor(ex))));
    }

    private void act(Exchange ex, String[] p, java.util.function.Function<RolloverService, ?> action) {
        api.call(action);
        ex.redirect("/rollover#r" + Api.id(p[1], "rollover"));
    }

    private static String actor(Exchange ex) {
        return ex.scope.user() + " from " + ex.remote();
    }

    /** The form's hidden {@code from}; absent for a hand-made form, which advances whatever the step. */
    private static Integer from(String text) {
        if (blank(text)) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw Problem.badRequest("from must be the number of steps done, not '" + text + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private String list(List<Rollover> all, String csrf) {
        StringBuilder b = new StringBuilder();
        b.append("<form method=\"post\" action=\"/rollover\">").append(Html.csrfField(csrf))
                .append("<label>CA to replace (id) <input name=\"caId\" required inputmode=\"numeric\"></label> ")
                .append("<label>new subject <input name=\"subject\" placeholder=\"derived\"></label> ")
                .append("<label>validity (days) <input name=\"caValidityDays\" inputmode=\"numeric\" placeholder=\"as the old CA\"></label> ")
                .append("<button>Start a rollover (step 1: new CA)</button></form>");
        if (all.isEmpty()) {
            return b.append("<p>No rollovers yet.</p>").toString();
        }
        for (Rollover r : all.stream().sorted(java.util.Comparator.comparingLong(Rollover::id).reversed()).toList()) {
            rollover(b, r, csrf);
        }
        return b.toString();
    }

    private void rollover(StringBuilder b, Rollover r, String csrf) {
        b.append("<section id=\"r").append(r.id()).append("\"><h2>Rollover ").append(r.id()).append(": CA ")
                .append(r.oldCaId()).append(" → ").append(r.newCaId() == 0 ? "?" : r.newCaId()).append(" · ")
                .append(esc(r.state())).append("</h2>");
        b.append("<p>Computers: <b>").append(r.count(RolloverComputer.Readiness.READY)).append("</b> ready, <b>")
                .append(r.count(RolloverComputer.Readiness.WAITING)).append("</b> waiting, <b>")
                .append(r.count(RolloverComputer.Readiness.NEVER_SEEN)).append("</b> never seen since the policy")
                .append(r.waitUntil() == null ? "" : "; step 4 waits until " + esc(r.waitUntil())).append(".</p>");
        b.append("<table><tr><th>step</th><th>status</th><th>when, who, what</th></tr>");
        for (StepState s : r.steps()) {
            b.append("<tr><td>").append(s.step().number()).append(". ").append(esc(s.step().title())).append("</td><td>")
                    .append(esc(s.status())).append("</td><td>")
                    .append(s.at() == null ? "" : esc(s.at() + " · " + s.actor() + " · " + s.detail()))
                    .append("</td></tr>");
        }
        b.append("</table>");
        if (!r.forceReason().isEmpty()) {
            b.append("<p><b>Step 6 forced</b> by ").append(esc(r.forcedBy())).append(": ").append(esc(r.forceReason()))
                    .append("</p>");
        }
        if (!r.blockers().isEmpty()) {
            b.append("<h3>Blocking the next step</h3><ul>");
            r.blockers().forEach(x -> b.append("<li>").append(esc(x)).append("</li>"));
            b.append("</ul>");
        }
        if (r.next() != null) {
            String base = "/rollover/" + r.id() + "/";
            // the step this page showed: a click after someone else advanced it is refused, not a second step
            b.append("<form method=\"post\" action=\"").append(base).append("advance\">").append(Html.csrfField(csrf))
                    .append("<input type=\"hidden\" name=\"from\" value=\"").append(r.completed()).append("\">")
                    .append("<button>Step ").append(r.next().number()).append(": ").append(esc(r.next().title()))
                    .append("</button></form>");
            b.append("<form method=\"post\" action=\"").append(base).append("early-replication\">")
                    .append(Html.csrfField(csrf)).append("<button>Ask the missing computers to replicate early</button></form>");
            if (r.next().number() == 6) {
                b.append("<form method=\"post\" action=\"").append(base).append("force\">").append(Html.csrfField(csrf))
                        .append("<label>reason <input name=\"reason\" required></label> ")
                        .append("<button>Force step 6 (recorded)</button></form>");
            }
        }
        b.append("</section>");
    }
}
