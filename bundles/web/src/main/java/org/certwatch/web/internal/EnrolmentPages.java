package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.List;
import java.util.Map;
import org.certwatch.api.fleet.EnrolmentTokenState;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.UserScope;

/**
 * {@code /enrolment}: the enrolment tokens in scope with a revoke button each, and a form that makes
 * one and shows it once with the agent command (environment or token file, never the token as an
 * argument).
 */
final class EnrolmentPages {
    private final Enrolments enrolments;
    private final UserAdmin users;

    EnrolmentPages(Enrolments enrolments, UserAdmin users) {
        this.enrolments = enrolments;
        this.users = users;
    }

    void routes(Router r) {
        r.on("GET", "enrolment", (ex, p) -> page(ex, ""))
                .on("POST", "enrolment", (ex, p) -> {
                    ex.auditAs("enrolment-token.create", "enrolment-token:new");
                    Map<String, String> f = ex.form();
                    Long uses = Pages.number(f.get("uses"), "uses");
                    Long hours = Pages.number(f.get("hours"), "hours");
                    Enrolments.TokenJson t = enrolments.create(ex.scope, new Enrolments.Body(f.get("group"),
                            uses == null ? null : uses.intValue(), hours == null ? null : hours.intValue()),
                            enrolments.server(ex), ex.remote());
                    ex.response.getHeaders().put("Cache-Control", "no-store");
                    page(ex, "<div class=\"box ok\" id=\"new-enrolment-token\"><p>Enrolment token for <b>" + esc(t.group())
                            + "</b>, " + t.usesLeft() + (t.usesLeft() == 1 ? " agent" : " agents") + ", until "
                            + esc(t.expiresAt()) + ". It is shown only this once. Start the agent on the computer with"
                            + " the token in its environment:</p><pre class=\"command\" id=\"command-environment\">"
                            + esc(t.commands().environment()) + "</pre><p>or in a file only you can read:</p>"
                            + "<pre class=\"command\" id=\"command-token-file\">" + esc(t.commands().tokenFile()) + "</pre>"
                            + "<p class=\"muted\">The token itself:</p><pre class=\"token\">" + esc(t.token()) + "</pre></div>");
                })
                .on("POST", "enrolment/*/revoke", (ex, p) -> {
                    ex.auditAs("enrolment-token.revoke", "enrolment-token:" + p[1]);
                    enrolments.revoke(ex.scope, p[1], ex.remote());
                    ex.redirect("/enrolment");
                });
    }

    private void page(Exchange ex, String done) {
        String csrf = ex.session == null ? null : ex.session.csrf();
        ex.html(200, Html.page("Enrol agents", ex.scope, csrf, done + list(ex, csrf) + form(ex.scope, csrf)));
    }

    private String list(Exchange ex, String csrf) {
        List<EnrolmentTokenState> all = enrolments.list(ex.scope, ex.remote());
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>Group</th><th>Uses left</th>"
                + "<th>Expires</th><th></th></tr>");
        for (EnrolmentTokenState t : all) {
            b.append("<tr><td>").append(esc(t.group())).append("</td><td class=\"num\">").append(t.usesLeft())
                    .append("</td><td>").append(esc(t.expiresAt())).append("</td><td><form method=\"post\" action=\"/enrolment/")
                    .append(esc(t.id())).append("/revoke\">").append(Html.csrfField(csrf))
                    .append("<button>Revoke</button></form></td></tr>");
        }
        if (all.isEmpty()) {
            b.append("<tr><td colspan=\"4\" class=\"muted\">no enrolment tokens</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private String form(UserScope scope, String csrf) {
        StringBuilder b = new StringBuilder("<h2>New enrolment token</h2><form class=\"box\" method=\"post\" action=\"/enrolment\">")
                .append(Html.csrfField(csrf)).append("<label>Group of the new computers<select name=\"group\">");
        for (Group g : users.groups(scope)) {
            b.append("<option").append(g.path().equals(scope.homeGroup()) ? " selected" : "").append('>')
                    .append(esc(g.path())).append("</option>");
        }
        return b.append("</select></label><label>Agents it enrols<input name=\"uses\" type=\"number\" min=\"1\" value=\"1\"></label>")
                .append("<label>Valid for, hours<input name=\"hours\" type=\"number\" min=\"1\" max=\"2160\" value=\"24\"></label>")
                .append("<button>Make token</button></form>").toString();
    }
}
