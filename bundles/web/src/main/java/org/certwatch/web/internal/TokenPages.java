package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.time.Duration;
import java.util.List;
import org.certwatch.api.fleet.ApiToken;
import org.certwatch.api.fleet.NewApiToken;
import org.certwatch.api.fleet.UserScope;

/**
 * {@code /tokens}: the caller's API tokens (an administrator's also those of the users in scope), a
 * form that makes one and shows its text once, and a revoke button per token.
 */
final class TokenPages {
    private static final int[] LIFETIMES = {30, 90, 365, 730};

    private final Tokens tokens;
    private final Services services;

    TokenPages(Tokens tokens, Services services) {
        this.tokens = tokens;
        this.services = services;
    }

    void routes(Router r) {
        r.on("GET", "tokens", (ex, p) -> page(ex, ""))
                .on("POST", "tokens", (ex, p) -> {
                    ex.auditAs("api-token.create", "user:" + ex.scope.user());
                    var f = ex.form();
                    Long days = Pages.number(f.get("days"), "days");
                    String expires = services.clock().instant().plus(Duration.ofDays(days == null ? 365 : days)).toString();
                    NewApiToken t = tokens.create(ex.scope, new Tokens.Body(f.get("name"), expires));
                    ex.response.getHeaders().put("Cache-Control", "no-store");
                    page(ex, "<div class=\"box ok\" id=\"new-token\"><p>Token <b>" + esc(t.token().name())
                            + "</b> made. Copy it now: it is shown only this once.</p><pre class=\"token\">" + esc(t.text())
                            + "</pre><p class=\"muted\">Send it as <code>Authorization: Bearer …</code> to <code>/api/v1/</code>"
                            + " and <code>/metrics</code> (Prometheus: <code>authorization: {credentials_file: …}</code>).</p></div>");
                })
                .on("POST", "tokens/*/revoke", (ex, p) -> {
                    ex.auditAs("api-token.revoke", "api-token:" + p[1]);
                    tokens.revoke(ex.scope, p[1]);
                    ex.redirect("/tokens");
                });
    }

    private void page(Exchange ex, String done) {
        String csrf = ex.session == null ? null : ex.session.csrf();
        ex.html(200, Html.page("API tokens", ex.scope, csrf, done + list(ex.scope, csrf) + form(csrf)));
    }

    private String list(UserScope scope, String csrf) {
        List<ApiToken> all = tokens.list(scope);
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>Name</th><th>User</th><th>Made</th>"
                + "<th>Expires</th><th>Last used</th><th></th></tr>");
        for (ApiToken t : all) {
            b.append("<tr><td>").append(esc(t.name())).append("</td><td>").append(esc(t.user())).append("</td><td>")
                    .append(esc(t.createdAt())).append("</td><td>").append(esc(t.expiresAt())).append("</td><td>")
                    .append(t.lastUsedAt() == null ? "<span class=\"muted\">never</span>" : esc(t.lastUsedAt()))
                    .append("</td><td><form method=\"post\" action=\"/tokens/").append(esc(t.id())).append("/revoke\">")
                    .append(Html.csrfField(csrf)).append("<button>Revoke</button></form></td></tr>");
        }
        if (all.isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"muted\">no tokens</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private static String form(String csrf) {
        StringBuilder b = new StringBuilder("<h2>New token</h2><form class=\"box\" method=\"post\" action=\"/tokens\">")
                .append(Html.csrfField(csrf))
                .append("<label>Name (what it is for)<input name=\"name\" required maxlength=\"64\" placeholder=\"prometheus\"></label>")
                .append("<label>Valid for<select name=\"days\">");
        for (int days : LIFETIMES) {
            b.append("<option value=\"").append(days).append('"').append(days == 365 ? " selected" : "").append('>')
                    .append(days).append(" days</option>");
        }
        return b.append("</select></label><button>Make token</button></form>").toString();
    }
}
