package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.List;
import java.util.Map;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.DiscoveryRange;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Location;

/**
 * The pages of the TLS probe, for server administrators: the endpoints (status and findings of each, a form to
 * add one), one endpoint's edit form with "check now" and delete, and discovery (ranges, a form to add one, the
 * candidates found with approve and dismiss).
 */
final class ProbePages {
    private final EndpointSources endpoints;
    private final DiscoverySources discovery;

    ProbePages(EndpointSources endpoints, DiscoverySources discovery) {
        this.endpoints = endpoints;
        this.discovery = discovery;
    }

    void routes(Router r) {
        r.before(Router.ANY, "endpoints/**", (ex, p) -> endpoints.requireAdministrator(ex.scope, ex.remote(),
                "source.endpoint"))
                .on("GET", "endpoints", (ex, p) -> ex.html(200, Html.page("TLS endpoints", ex.scope, csrf(ex),
                        list(ex.scope, csrf(ex)))))
                .on("POST", "endpoints", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.create", "endpoint:new");
                    Endpoint e = endpoints.create(ex.scope, body(ex.form()), ex.remote());
                    ex.redirect("/endpoints/" + e.id());
                })
                .on("GET", "endpoints/*", (ex, p) -> {
                    Endpoint e = endpoints.get(p[1]);
                    ex.html(200, Html.page("Endpoint " + e.address(), ex.scope, csrf(ex), edit(csrf(ex), e)));
                })
                .on("POST", "endpoints/*", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.update", "endpoint:" + p[1]);
                    endpoints.update(ex.scope, p[1], body(ex.form()), ex.remote());
                    ex.redirect("/endpoints/" + p[1]);
                })
                .on("POST", "endpoints/*/check", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.check", "endpoint:" + p[1]);
                    endpoints.check(ex.scope, p[1], ex.remote());
                    ex.redirect("/endpoints/" + p[1]);
                })
                .on("POST", "endpoints/*/delete", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.delete", "endpoint:" + p[1]);
                    endpoints.delete(ex.scope, p[1], ex.remote());
                    ex.redirect("/endpoints");
                });
        r.before(Router.ANY, "discovery/**", (ex, p) -> discovery.requireAdministrator(ex.scope, ex.remote(),
                "discovery"))
                .on("GET", "discovery", (ex, p) -> ex.html(200, Html.page("Discovery", ex.scope, csrf(ex),
                        discovery(ex.scope, csrf(ex)))))
                .on("POST", "discovery/ranges", (ex, p) -> {
                    ex.auditAs("web.discovery.create", "range:new");
                    Map<String, String> f = ex.form();
                    discovery.create(ex.scope, new DiscoverySources.Body(f.get("addresses"), ports(f.get("ports")),
                            f.get("homeGroup"), f.get("every"), f.containsKey("addFound"), f.get("description")),
                            ex.remote());
                    ex.redirect("/discovery");
                })
                .on("POST", "discovery/ranges/*/run", (ex, p) -> {
                    ex.auditAs("web.discovery.run", "range:" + p[2]);
                    discovery.run(ex.scope, p[2], ex.remote());
                    ex.redirect("/discovery");
                })
                .on("POST", "discovery/ranges/*/delete", (ex, p) -> {
                    ex.auditAs("web.discovery.delete", "range:" + p[2]);
                    discovery.delete(ex.scope, p[2], ex.remote());
                    ex.redirect("/discovery");
                })
                .on("POST", "discovery/candidates/approve", (ex, p) -> candidate(ex, true))
                .on("POST", "discovery/candidates/dismiss", (ex, p) -> candidate(ex, false));
    }

    private void candidate(Exchange ex, boolean approve) {
        ex.auditAs(approve ? "web.discovery.approve" : "web.discovery.dismiss", "candidate");
        Map<String, String> f = ex.form();
        var c = new DiscoverySources.CandidateBody(f.get("host"), integer(f.get("port"), "port"));
        if (approve) {
            discovery.approve(ex.scope, c, ex.remote());
        } else {
            discovery.dismiss(ex.scope, c, ex.remote());
        }
        ex.redirect("/discovery");
    }

    private static Integer integer(String text, String field) {
        Long n = Pages.number(text, field);
        return n == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n));
    }

    private static String csrf(Exchange ex) {
        return ex.session == null ? null : ex.session.csrf();
    }

    private static EndpointSources.Body body(Map<String, String> f) {
        return new EndpointSources.Body(f.get("host"), integer(f.get("port"), "port"), f.get("sniName"),
                f.get("protocol"), f.get("homeGroup"),
                f.get("interval"), f.get("extraCaPem"), f.containsKey("checkCrl"), f.get("description"));
    }

    private static List<Integer> ports(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        return Pages.names(text).stream().map(p -> integer(p, "ports")).toList();
    }

    private String list(UserScope scope, String csrf) {
        if (!endpoints.deployed()) {
            return "<p class=\"muted\">The TLS probe is not deployed (feature <code>tls-probe</code>).</p>";
        }
        Map<String, Location> where = endpoints.locations();
        StringBuilder b = new StringBuilder("<p class=\"muted\">Checked every ")
                .append(esc(endpoints.endpoints().defaultInterval())).append(" unless an endpoint says otherwise.</p>")
                .append("<div class=\"table\"><table><tr><th>State</th><th>Endpoint</th><th>Findings</th>"
                        + "<th class=\"opt\">Group</th><th class=\"opt\">Last check</th></tr>");
        List<Endpoint> all = endpoints.list();
        for (Endpoint e : all) {
            Location l = where.get(e.address());
            b.append("<tr><td>").append(l == null ? "<span class=\"muted\">not checked yet</span>"
                    : "<a href=\"/locations/" + l.id() + "\">" + LocationHtml.state(l) + "</a>")
                    .append("</td><td><a href=\"/endpoints/").append(esc(e.id())).append("\">").append(esc(e.address()))
                    .append("</a></td><td>").append(l == null ? "" : LocationHtml.findingsBrief(l))
                    .append("</td><td class=\"opt\">").append(esc(e.homeGroup())).append("</td><td class=\"opt\">")
                    .append(l == null || l.lastCheck() == null ? "" : esc(l.lastCheck())).append("</td></tr>");
        }
        if (all.isEmpty()) {
            b.append("<tr><td colspan=\"5\" class=\"muted\">no endpoints</td></tr>");
        }
        b.append("</table></div><h2>Add an endpoint</h2>")
                .append(form(csrf, "/endpoints", null, scope.homeGroup(), "Add"))
                .append("<p><a href=\"/discovery\">Discover endpoints in an address range…</a></p>");
        return b.toString();
    }

    private String edit(String csrf, Endpoint e) {
        Location l = endpoints.locations().get(e.address());
        StringBuilder b = new StringBuilder("<p>");
        b.append(l == null ? "<span class=\"muted\">not checked yet</span>"
                : LocationHtml.state(l) + " · <a href=\"/locations/" + l.id() + "\">the chain presented and its"
                        + " findings</a>");
        b.append("</p>").append(l == null ? "" : LocationHtml.findings(l.findings()))
                .append(SourcePages.button(csrf, "/endpoints/" + e.id() + "/check", "Check now", ""))
                .append("<h2>Edit</h2>").append(form(csrf, "/endpoints/" + e.id(), e, e.homeGroup(), "Save"))
                .append(SourcePages.button(csrf, "/endpoints/" + e.id() + "/delete", "Stop checking this endpoint",
                        "danger"));
        return b.toString();
    }

    private static String form(String csrf, String action, Endpoint e, String group, String label) {
        StringBuilder b = new StringBuilder("<form class=\"box\" method=\"post\" action=\"").append(esc(action))
                .append("\">").append(Html.csrfField(csrf))
                .append("<label>Host (DNS name or IP address)<input name=\"host\" required value=\"")
                .append(esc(e == null ? "" : e.host())).append("\"></label>")
                .append("<label>Port<input name=\"port\" inputmode=\"numeric\" required value=\"")
                .append(e == null ? "443" : e.port()).append("\"></label><label>Protocol<select name=\"protocol\">");
        for (EndpointProtocol p : EndpointProtocol.values()) {
            b.append("<option").append(e != null && e.protocol() == p ? " selected" : "").append(">").append(p.name())
                    .append("</option>");
        }
        return b.append("</select></label><label>SNI name (empty: the host)<input name=\"sniName\" value=\"")
                .append(esc(e == null ? "" : e.sniName())).append("\"></label>")
                .append("<label>Home group<input name=\"homeGroup\" value=\"").append(esc(group)).append("\"></label>")
                .append("<label>Interval (ISO-8601, e.g. PT1H; empty: the default)<input name=\"interval\" value=\"")
                .append(esc(e == null || e.interval() == null ? "" : e.interval())).append("\"></label>")
                .append("<label>Extra trusted CA (PEM)<textarea name=\"extraCaPem\" rows=\"3\">")
                .append(esc(e == null ? "" : e.extraCaPem())).append("</textarea></label>")
                .append("<label><input type=\"checkbox\" name=\"checkCrl\"").append(e != null && e.checkCrl()
                        ? " checked" : "").append("> check the CRLs of the chain</label>")
                .append("<label>Description<input name=\"description\" value=\"")
                .append(esc(e == null ? "" : e.description())).append("\"></label><button>").append(label)
                .append("</button></form>").toString();
    }

    private String discovery(UserScope scope, String csrf) {
        if (!discovery.deployed()) {
            return "<p class=\"muted\">Discovery is not deployed (feature <code>tls-probe</code>).</p>";
        }
        StringBuilder b = new StringBuilder("<h2>Ranges</h2><div class=\"table\"><table><tr><th>Addresses</th>"
                + "<th>Ports</th><th>Group</th><th class=\"opt\">Every</th><th class=\"opt\">Found</th>"
                + "<th class=\"opt\">Last run</th><th></th></tr>");
        List<DiscoveryRange> ranges = discovery.list();
        for (DiscoveryRange d : ranges) {
            boolean running = discovery.running(d.id());
            b.append("<tr><td>").append(esc(d.addresses())).append("</td><td>").append(esc(d.ports()))
                    .append("</td><td>").append(esc(d.homeGroup())).append("</td><td class=\"opt\">")
                    .append(d.every() == null ? "when run" : esc(d.every())).append("</td><td class=\"opt\">")
                    .append(d.addFound() ? "added" : "for approval").append("</td><td class=\"opt\">")
                    .append(running ? "running now" : d.lastRun() == null ? "never" : esc(d.lastRun()))
                    .append("</td><td>").append(running ? ""
                            : SourcePages.button(csrf, "/discovery/ranges/" + d.id() + "/run", "Scan now", ""))
                    .append(SourcePages.button(csrf, "/discovery/ranges/" + d.id() + "/delete", "Delete", "danger"))
                    .append("</td></tr>");
        }
        if (ranges.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">no ranges</td></tr>");
        }
        b.append("</table></div><h2>Found, waiting for approval</h2><div class=\"table\"><table><tr><th>Endpoint</th>"
                + "<th>Subject</th><th class=\"opt\">Not after</th><th class=\"opt\">Found</th><th></th></tr>");
        List<DiscoveredEndpoint> candidates = discovery.candidates();
        for (DiscoveredEndpoint c : candidates) {
            b.append("<tr><td>").append(esc(c.host())).append(':').append(c.port()).append("</td><td>")
                    .append(esc(c.subject())).append("</td><td class=\"opt\">").append(esc(c.notAfter()))
                    .append("</td><td class=\"opt\">").append(esc(c.foundAt())).append("</td><td>")
                    .append(candidateButton(csrf, c, "approve", "Add as endpoint", ""))
                    .append(candidateButton(csrf, c, "dismiss", "Dismiss", "danger")).append("</td></tr>");
        }
        if (candidates.isEmpty()) {
            b.append("<tr><td colspan=\"5\" class=\"muted\">none</td></tr>");
        }
        return b.append("</table></div><h2>Add a range</h2><form class=\"box\" method=\"post\""
                + " action=\"/discovery/ranges\">").append(Html.csrfField(csrf))
                .append("<label>Addresses (CIDR or first-last)<input name=\"addresses\" required"
                        + " placeholder=\"192.0.2.0/28\"></label>")
                .append("<label>Ports (comma-separated)<input name=\"ports\" required value=\"443\"></label>")
                .append("<label>Home group<input name=\"homeGroup\" value=\"").append(esc(scope.homeGroup()))
                .append("\"></label><label>Scan every (ISO-8601, e.g. P1D; empty: only when run)<input name=\"every\">"
                        + "</label><label><input type=\"checkbox\" name=\"addFound\"> add what is found as endpoints"
                        + " (else list it here for approval)</label><label>Description<input name=\"description\">"
                        + "</label><button>Add</button></form>").toString();
    }

    private static String candidateButton(String csrf, DiscoveredEndpoint c, String action, String label, String css) {
        return "<form class=\"box\" method=\"post\" action=\"/discovery/candidates/" + action + "\">"
                + Html.csrfField(csrf) + "<input type=\"hidden\" name=\"host\" value=\"" + esc(c.host()) + "\">"
                + "<input type=\"hidden\" name=\"port\" value=\"" + c.port() + "\"><button"
                + (css.isEmpty() ? "" : " class=\"" + css + "\"") + ">" + esc(label) + "</button></form>";
    }
}
