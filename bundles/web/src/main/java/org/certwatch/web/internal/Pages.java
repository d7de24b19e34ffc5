package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.OpenSslText;
import org.certwatch.api.store.SubjectAltName;
import org.certwatch.api.store.KeyType;

/** Server-rendered pages; forms post back here with the session's CSRF token. */
final class Pages {
    private final Views views;
    private final Actions actions;
    private final Api api;
    private final NotificationPages notificationPages;
    private final SettingsPages settingsPages;
    private final RolloverPage rolloverPage;
    private final SourcePages sourcePages;
    private final AdminPages adminPages;
    private final FirstSteps firstSteps;
    private final RenderCache rendered = new RenderCache();
    private final Router router;

    /** A cached page's slot: what besides its view value the page depends on (the frame shows the user and the CSRF token). */
    private record PageSlot(String page, UserScope scope, String csrf) {
    }

    Pages(Views views, Actions actions, Api api, NotificationPages notificationPages, SettingsPages settingsPages,
            SourcePages sourcePages, AdminPages adminPages) {
        this.views = views;
        this.actions = actions;
        this.api = api;
        this.notificationPages = notificationPages;
        this.settingsPages = settingsPages;
        this.rolloverPage = new RolloverPage(api.rollovers());
        this.sourcePages = sourcePages;
        this.adminPages = adminPages;
        this.firstSteps = adminPages.firstSteps();
        this.router = routes();
    }

    void handle(Exchange ex) {
        router.dispatch(ex, ex.path.substring(1));
    }

    /** Every page's route; a path none takes is a 404 naming the page, whatever the method. */
    private Router routes() {
        Router r = new Router((ex, p, known) -> Problem.notFound("page " + ex.path));
        r.on(Router.ANY, "", (ex, p) -> {
            Views.Dashboard d = views.dashboard(ex.scope);
            String steps = firstSteps.html(ex.scope); // its own state: a variant of the cached page
            ex.html(200, rendered.get(new PageSlot("dashboard", ex.scope, csrf(ex)), d, steps,
                    () -> Html.page("Dashboard", ex.scope, csrf(ex), steps + DashboardHtml.dashboard(d)).getBytes(StandardCharsets.UTF_8)));
        })
                .on(Router.ANY, "status", (ex, p) -> ex.html(200, Html.page("Status overview", ex.scope, csrf(ex), status(ex.scope))))
                .on(Router.ANY, "audit", (ex, p) -> ex.html(200, Html.page("Audit log", ex.scope, csrf(ex), audit(ex.scope, ex))))
                .on(Router.ANY, "computers", (ex, p) -> ex.html(200,
                        Html.page("Computers", ex.scope, csrf(ex), computers(ex.scope, ex))))
                // what follows a computer's id is ignored, as it always was
                .on(Router.ANY, "computers/*/**", (ex, p) -> {
                    Views.ComputerRow c = views.computer(ex.scope, Api.id(p[1], "computer"));
                    ex.html(200, Html.page("Computer " + c.computer().name(), ex.scope, csrf(ex), computer(ex.scope, c)));
                })
                .on("GET", "certificates", (ex, p) -> ex.html(200,
                        Html.page("Certificates", ex.scope, csrf(ex), certificates(ex.scope, ex))))
                .on("POST", "certificates", this::issue)
                .on("GET", "certificates/new", (ex, p) -> ex.html(200,
                        Html.page("Issue a certificate", ex.scope, csrf(ex), issueForm(ex.scope, csrf(ex)))))
                .on("GET", "certificates/*", (ex, p) -> {
                    Views.Row row = views.certificate(ex.scope, Api.id(p[1], "certificate"));
                    ex.html(200, Html.page("Certificate " + row.id(), ex.scope, csrf(ex), certificate(ex.scope, csrf(ex), row)));
                })
                .on("GET", "certificates/*/pem", (ex, p) -> {
                    long id = Api.id(p[1], "certificate");
                    ex.download("application/x-pem-file", Api.fileName(ex, "certificate-" + id) + ".pem",
                            actions.pem(ex.scope, id));
                })
                .on("POST", "certificates/*/pkcs12", (ex, p) -> {
                    long id = Api.id(p[1], "certificate");
                    ex.auditAs("web.certificate.export", "certificate:" + id);
                    String name = Api.fileName(ex, "certificate-" + id);
                    byte[] p12 = actions.pkcs12(ex.scope, id, new Actions.Pkcs12Body(ex.form().get("password")), ex.remote());
                    ex.download("application/x-pkcs12", name + ".p12", p12);
                })
                .on("POST", "certificates/*/revoke", (ex, p) -> {
                    long id = Api.id(p[1], "certificate");
                    ex.auditAs("web.certificate.revoke", "certificate:" + id);
                    actions.revoke(ex.scope, id, new Actions.RevokeBody(ex.form().get("reason")), ex.remote());
                    ex.redirect("/certificates/" + id);
                })
                .on("GET", "cas", (ex, p) -> ex.html(200, Html.page("Certification authorities", ex.scope, csrf(ex), cas(ex.scope, ex))))
                .on("POST", "cas", this::createCa)
                .on("GET", "cas/new", (ex, p) -> ex.html(200, Html.page("Create a CA", ex.scope, csrf(ex), caForm(ex.scope, csrf(ex))
                        + (Html.canWrite(ex.scope) ? CaAdmin.importForm(csrf(ex)) : ""))))
                .on("GET", "cas/*", (ex, p) -> {
                    Views.Row row = views.ca(ex.scope, Api.id(p[1], "CA"));
                    ex.html(200, Html.page("CA " + row.id(), ex.scope, csrf(ex), ca(row) + adminPages.caDeletion(ex.scope, csrf(ex), row)));
                })
                .on("GET", "cas/*/pem", (ex, p) -> {
                    long id = Api.id(p[1], "CA");
                    ex.download("application/x-pem-file", Api.fileName(ex, "ca-" + id) + ".pem", actions.caPem(ex.scope, id));
                });
        notificationPages.routes(r);
        settingsPages.routes(r);
        rolloverPage.routes(r);
        sourcePages.routes(r);
        adminPages.routes(r);
        return r;
    }

    private static String csrf(Exchange ex) {
        return ex.session == null ? null : ex.session.csrf();
    }

    private void issue(Exchange ex, String[] p) {
        ex.auditAs("web.certificate.issue", "certificate:new");
        Map<String, String> f = ex.form();
        CertificateInfo c = actions.issue(ex.scope, new Actions.IssueBody(number(f.get("caId"), "caId"),
                f.get("role"), f.get("host"), names(f.get("alternativeNames")), f.get("subject"),
                f.get("description"), f.get("homeGroup"), f.get("keyType"), f.get("notAfter")), ex.remote());
        ex.redirect("/certificates/" + c.id());
    }

    private void createCa(Exchange ex, String[] p) {
        ex.auditAs("web.ca.create", "ca:new");
        Map<String, String> f = ex.form();
        Integer days = f.get("validityDays") == null || f.get("validityDays").isBlank() ? null
                : number(f.get("validityDays"), "validityDays").intValue();
        CaInfo ca = actions.createCa(ex.scope, new Actions.CaBody(f.get("subject"), f.get("keyType"), days,
                f.get("description"), f.get("homeGroup")), ex.remote());
        ex.redirect("/cas/" + ca.id());
    }

    private String status(UserScope scope) {
        List<Views.Attention> items = views.attention(scope);
        StringBuilder b = new StringBuilder("<p>What needs attention now, most urgent first.</p><div class=\"table\"><table>"
                + "<tr><th>#</th><th>What</th></tr>");
        int i = 1;
        for (Views.Attention a : items) {
            b.append("<tr><td>").append(i++).append("</td><td><span class=\"st st-")
                    .append(a.kind().equals("expired") || a.rank() == 2 ? "error" : "warning").append("\">")
                    .append(esc(a.kind())).append("</span> <a href=\"").append(esc(a.link())).append("\">")
                    .append(esc(a.text())).append("</a></td></tr>");
        }
        if (items.isEmpty()) {
            b.append("<tr><td colspan=\"2\" class=\"muted\">nothing needs attention</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private String certificates(UserScope scope, Exchange ex) {
        Views.CertificateFilter f = api.filter(ex);
        Paging paging = Paging.of(ex);
        List<Views.Row> all = views.certificates(scope, f);
        StringBuilder b = new StringBuilder();
        if (Html.canWrite(scope)) {
            b.append("<p><a href=\"/certificates/new\">Issue a certificate…</a> · <a href=\"/upload\">Upload"
                    + " certificates to monitor…</a></p>");
        }
        b.append("<form class=\"filters\" method=\"get\" action=\"/certificates\">")
                .append(select("status", "Status", ExpiryStatus.values(), f.status()))
                .append(select("role", "Role", Role.values(), f.role()))
                .append("<label>CA id<input name=\"ca\" size=\"5\" value=\"").append(f.caId() == null ? "" : f.caId())
                .append("\"></label><label>Group<input name=\"group\" value=\"").append(esc(f.group() == null ? "" : f.group()))
                .append("\"></label><button>Filter</button></form>");
        b.append("<p class=\"muted\">").append(all.size()).append(" certificates</p>");
        b.append(Html.rows(paging.page(all)));
        b.append(pager("/certificates", ex, paging, all.size()));
        return b.toString();
    }

    private String cas(UserScope scope, Exchange ex) {
        Paging paging = Paging.of(ex);
        List<Views.Row> all = views.cas(scope, Actions.status(ex.param("status")));
        StringBuilder b = new StringBuilder();
        if (Html.canWrite(scope)) {
            b.append("<p><a href=\"/cas/new\">Create a CA…</a></p>");
        }
        return b.append(Html.rows(paging.page(all))).append(pager("/cas", ex, paging, all.size())).toString();
    }

    static String pager(String base, Exchange ex, Paging paging, int total) {
        StringBuilder b = new StringBuilder("<div class=\"pager\">");
        if (paging.offset() > 0) {
            b.append("<a href=\"").append(esc(link(base, ex, Math.max(0, paging.offset() - paging.limit())))).append("\">← previous</a>");
        }
        b.append("<span>").append(total == 0 ? 0 : paging.offset() + 1).append("–")
                .append(Math.min(total, paging.offset() + paging.limit())).append(" of ").append(total).append("</span>");
        if (paging.offset() + paging.limit() < total) {
            b.append("<a href=\"").append(esc(link(base, ex, paging.offset() + paging.limit()))).append("\">next →</a>");
        }
        return b.append("</div>").toString();
    }

    private static String link(String base, Exchange ex, int offset) {
        Map<String, String> q = new LinkedHashMap<>(ex.query);
        q.put("offset", Integer.toString(offset));
        StringBuilder b = new StringBuilder(base).append('?');
        q.forEach((k, v) -> b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        return b.substring(0, b.length() - 1);
    }

    static <E extends Enum<E>> String select(String name, String label, E[] values, E selected) {
        StringBuilder b = new StringBuilder("<label>").append(label).append("<select name=\"").append(name)
                .append("\"><option value=\"\">any</option>");
        for (E v : values) {
            b.append("<option").append(v == selected ? " selected" : "").append(">").append(v.name()).append("</option>");
        }
        return b.append("</select></label>").toString();
    }

    private String certificate(UserScope scope, String csrf, Views.Row r) {
        CertificateInfo c = r.certificate();
        StringBuilder b = new StringBuilder("<p>").append(Html.status(r.status())).append(" · ").append(r.daysLeft())
                .append(" days left</p>").append(CertificateFacts.html(c));
        b.append(sourcePages.certificateParts(scope, csrf, r)).append(adminPages.renewal(scope, csrf, r));
        b.append("<h2>Download</h2><p><a href=\"/certificates/").append(c.id()).append("/pem\">PEM</a></p>");
        // only the actions that can work: a PKCS#12 is for installing the key with it, and only the issuer revokes
        if (Html.canWrite(scope) && c.hasKey()) {
            b.append("<form class=\"box\" method=\"post\" action=\"/certificates/").append(c.id()).append("/pkcs12\">")
                    .append(Html.csrfField(csrf))
                    .append("<label>PKCS#12 password (at least 8 characters)<input type=\"password\" name=\"password\" minlength=\"8\" required></label>")
                    .append("<button>Download PKCS#12 with key</button></form>");
        }
        if (Html.canWrite(scope) && !c.revoked() && c.caId() != 0 && c.role() != Role.MONITORED) {
            b.append("<h2>Revoke</h2><form class=\"box\" method=\"post\" action=\"/certificates/").append(c.id())
                    .append("/revoke\">").append(Html.csrfField(csrf)).append("<label>Reason<select name=\"reason\">");
            for (var reason : org.certwatch.api.store.RevocationReason.values()) {
                b.append("<option>").append(reason.name().toLowerCase()).append("</option>");
            }
            b.append("</select></label><button class=\"danger\">Revoke</button></form>");
        }
        return b.toString();
    }

    /**
     * A certificate's field as an admin compares it with {@code openssl x509 -text}: the subjectAltNames as
     * openssl lists them, the fingerprint as {@code -fingerprint -sha256} prints it (the API keeps plain hex).
     */
    @SuppressWarnings("unchecked")
    static Object shown(String key, Object value) {
        return switch (key) {
            case "subjectAltNames" -> SubjectAltName.openssl((List<SubjectAltName>) value);
            case "fingerprint" -> OpenSslText.fingerprint((String) value);
            default -> value;
        };
    }

    private String ca(Views.Row r) {
        StringBuilder b = new StringBuilder("<p>").append(Html.status(r.status())).append(" · ").append(r.daysLeft())
                .append(" days left · <a href=\"/certificates?ca=").append(r.id()).append("\">its certificates</a> · ")
                .append("<a href=\"/crl/").append(r.id()).append(".crl\">CRL</a> · <a href=\"/cas/").append(r.id())
                .append("/pem\">PEM</a></p><dl>");
        ApiJson.fields(ApiJson.of(r)).forEach((k, v) -> b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(shown(k, v)))
                .append("</dd>"));
        return b.append("</dl>").toString();
    }

    private String issueForm(UserScope scope, String csrf) {
        if (!Html.canWrite(scope)) {
            throw Problem.forbidden("you need the certificate write permission for this");
        }
        StringBuilder b = new StringBuilder("<form class=\"box\" method=\"post\" action=\"/certificates\">")
                .append(Html.csrfField(csrf)).append("<label>CA<select name=\"caId\">");
        for (Views.Row ca : views.cas(scope, null)) {
            b.append("<option value=\"").append(ca.id()).append("\">").append(ca.id()).append(" · ")
                    .append(esc(ca.subject())).append("</option>");
        }
        b.append("</select></label>").append(select("role", "Role", new Role[] {Role.SERVER, Role.AGENT, Role.PROXY, Role.MDM}, Role.AGENT))
                .append("<label>Host<input name=\"host\" required placeholder=\"pc-17.example.org or *\"></label>")
                .append("<label>Further names (comma-separated)<input name=\"alternativeNames\"></label>")
                .append("<label>Home group<input name=\"homeGroup\" value=\"").append(esc(scope.homeGroup())).append("\"></label>")
                .append(select("keyType", "Key type", KeyType.values(), KeyType.EC_P256))
                .append("<label>Not after (ISO-8601, empty for the default)<input name=\"notAfter\"></label>")
                .append("<label>Description<input name=\"description\"></label><button>Issue</button></form>");
        return b.toString();
    }

    private String caForm(UserScope scope, String csrf) {
        if (!Html.canWrite(scope)) {
            throw Problem.forbidden("you need the certificate write permission for this");
        }
        return "<form class=\"box\" method=\"post\" action=\"/cas\">" + Html.csrfField(csrf)
                + "<label>Subject<input name=\"subject\" required placeholder=\"CN=Example CA,O=Example\"></label>"
                + select("keyType", "Key type", KeyType.values(), KeyType.EC_P256)
                + "<label>Validity in days (empty for the default)<input name=\"validityDays\" inputmode=\"numeric\"></label>"
                + "<label>Home group<input name=\"homeGroup\" value=\"" + esc(scope.homeGroup()) + "\"></label>"
                + "<label>Description<input name=\"description\"></label><button>Create CA</button></form>";
    }

    private String computers(UserScope scope, Exchange ex) {
        Paging paging = Paging.of(ex);
        List<Views.ComputerRow> all = views.computers(scope);
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>Name</th><th>Status</th>"
                + "<th class=\"opt\">Group</th><th class=\"opt\">Last replication</th></tr>");
        for (Views.ComputerRow c : paging.page(all)) {
            b.append("<tr><td><a href=\"/computers/").append(c.computer().id()).append("\">")
                    .append(esc(c.computer().name())).append("</a></td><td><span class=\"st st-")
                    .append(c.status().name().toLowerCase()).append("\">").append(esc(c.text()))
                    .append("</span></td><td class=\"opt\">").append(esc(c.computer().group()))
                    .append("</td><td class=\"opt\">").append(esc(c.computer().lastReplication())).append("</td></tr>");
        }
        if (all.isEmpty()) {
            b.append("<tr><td colspan=\"4\" class=\"muted\">no computers</td></tr>");
        }
        return b.append("</table></div>").append(pager("/computers", ex, paging, all.size())).toString();
    }

    private String computer(UserScope scope, Views.ComputerRow c) {
        StringBuilder b = new StringBuilder("<div class=\"tabs\"><span>Certificate</span></div>");
        b.append("<p>Status: <span class=\"st st-").append(c.status().name().toLowerCase()).append("\">")
                .append(esc(c.text())).append("</span></p><dl>");
        ApiJson.fields(ApiJson.of(c)).forEach((k, v) -> {
            if (!k.equals("policy")) {
                b.append("<dt>").append(esc(k)).append("</dt><dd>").append(esc(v)).append("</dd>");
            }
        });
        b.append("</dl>");
        PolicyAdmin.AppliedPolicy policy = adminPages.policies().applied(c.computer());
        b.append("<h2>Policy</h2><p id=\"computer-policy\">").append(policy == null ? "No policy applies to its agent."
                : "Policy " + (scope.covers(policy.group()) ? "<a href=\"/policies/" + policy.id() + "\">" + policy.id() + "</a>"
                        : policy.id() + " (of a group above yours)") + " of " + esc(policy.group()) + ": "
                + esc(policy.state().replace('_', ' ').toLowerCase()) + (policy.since() == null ? "" : " since " + esc(policy.since()))
                + (policy.reason() == null ? "" : " — " + esc(policy.reason()))).append("</p>");
        if (c.certificateId() != 0) {
            try {
                Views.Row r = views.certificate(scope, c.certificateId());
                b.append("<h2>Agent certificate</h2>").append(Html.rows(List.of(r)));
            } catch (Problem hidden) {
                b.append("<p class=\"muted\">its certificate is not visible to you</p>");
            }
        }
        return b.toString();
    }

    private String audit(UserScope scope, Exchange ex) {
        Paging paging = Paging.of(ex);
        List<AuditEntry> all = api.audit(scope, ex);
        StringBuilder b = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/audit\">")
                .append("<label>Actor<input name=\"actor\" value=\"").append(esc(ex.param("actor") == null ? "" : ex.param("actor")))
                .append("\"></label><label>Action starts with<input name=\"action\" value=\"")
                .append(esc(ex.param("action") == null ? "" : ex.param("action")))
                .append("\"></label><label>Target<input name=\"target\" value=\"")
                .append(esc(ex.param("target") == null ? "" : ex.param("target")))
                .append("\"></label><button>Filter</button></form><div class=\"table\"><table><tr><th>When</th><th>Who</th>"
                        + "<th>What</th><th>Target</th><th>Outcome</th><th class=\"opt\">From</th></tr>");
        for (AuditEntry e : paging.page(all)) {
            b.append("<tr><td>").append(esc(e.at())).append("</td><td>").append(esc(e.actor())).append("</td><td>")
                    .append(esc(e.action())).append("</td><td>").append(esc(e.target())).append("</td><td>")
                    .append(esc(e.outcome())).append("</td><td class=\"opt\">").append(esc(e.from())).append("</td></tr>");
        }
        return b.append("</table></div>").append(pager("/audit", ex, paging, all.size())).toString();
    }

    static String loginPage(String error, String next) {
        return Html.page("Log in", null, null, (error == null ? "" : "<p class=\"error\">" + esc(error) + "</p>")
                + "<form class=\"box\" method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" value=\""
                + esc(next) + "\"><label>User<input name=\"user\" autocomplete=\"username\" required autofocus></label>"
                + "<label>Password<input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>"
                + "<button>Log in</button></form>");
    }

    static String errorPage(UserScope scope, String csrf, Problem p) {
        return Html.page("Error " + p.status(), scope, csrf, "<p class=\"error\">" + esc(p.title())
                + "</p><p><a href=\"/\">Back to the dashboard</a></p>");
    }

    static Long number(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw Problem.badRequest(field + " must be a whole number, not '" + text + "'");
        }
    }

    static List<String> names(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
