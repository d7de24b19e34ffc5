package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.List;
import java.util.Map;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.FileWatch;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.store.CertificateInfo;

/**
 * The pages of certificates certwatch did not issue: the upload form and its result, locations (list and
 * detail: chain, history, status, last check), the sources page with the files source's watched paths, and
 * what the certificate page shows of a monitored certificate (where it is held, stop monitoring, delete).
 */
final class SourcePages {
    private final Views views;
    private final SourceActions sources;

    SourcePages(Views views, SourceActions sources) {
        this.views = views;
        this.sources = sources;
    }

    void routes(Router r) {
        r.on("GET", "upload", (ex, p) -> ex.html(200, Html.page("Upload certificates to monitor", ex.scope, csrf(ex),
                uploadForm(ex.scope, csrf(ex), ex.param("replaces")))))
                .on("POST", "upload", (ex, p) -> {
                    ex.auditAs("web.certificate.import", "certificate:new");
                    Multipart.Form f = ex.multipart();
                    String password = f.field("password");
                    Imports.Imported answer = sources.imports().run(ex.scope, new Imports.Upload(f.file(),
                            password == null ? null : password.toCharArray(), f.field("group"), f.field("replaces")),
                            ex.remote());
                    ex.html(201, Html.page("Uploaded", ex.scope, csrf(ex), uploaded(f.fileName(), answer)));
                })
                .on("POST", "certificates/*/retire", (ex, p) -> retired(ex, p, true))
                .on("POST", "certificates/*/unretire", (ex, p) -> retired(ex, p, false))
                .on("POST", "certificates/*/delete", (ex, p) -> {
                    long id = Api.id(p[1], "certificate");
                    ex.auditAs("web.certificate.delete", "certificate:" + id);
                    sources.monitored().delete(ex.scope, id, ex.remote());
                    ex.redirect("/certificates");
                })
                .on("GET", "locations", (ex, p) -> ex.html(200, Html.page("Locations", ex.scope, csrf(ex),
                        locationList(ex))))
                .on("GET", "locations/*", (ex, p) -> {
                    Locations.Detail d = sources.locations().detail(ex.scope, Api.id(p[1], "location"));
                    ex.html(200, Html.page("Location " + d.location().id(), ex.scope, csrf(ex),
                            location(ex.scope, csrf(ex), d)));
                })
                .on("POST", "locations/*/stop", (ex, p) -> watching(ex, p, false))
                .on("POST", "locations/*/resume", (ex, p) -> watching(ex, p, true))
                .on("GET", "sources", (ex, p) -> ex.html(200, Html.page("Sources", ex.scope, csrf(ex),
                        sources(ex.scope, csrf(ex)))))
                .on("POST", "sources/files", (ex, p) -> {
                    ex.auditAs("web.source.files.create", "watch:new");
                    sources.files().requireAdministrator(ex.scope, ex.remote(), "source.files.create");
                    Map<String, String> f = ex.form();
                    sources.files().create(ex.scope, new FileSources.Body(f.get("pattern"), f.containsKey("recursive"),
                            f.get("homeGroup"), blankToNull(f.get("password")), f.get("description")), ex.remote());
                    ex.redirect("/sources");
                })
                .on("POST", "sources/files/*/delete", (ex, p) -> {
                    ex.auditAs("web.source.files.delete", "watch:" + p[2]);
                    sources.files().requireAdministrator(ex.scope, ex.remote(), "source.files.delete");
                    sources.files().delete(ex.scope, p[2], ex.remote());
                    ex.redirect("/sources");
                });
        new ProbePages(sources.endpoints(), sources.discovery()).routes(r);
    }

    private static String csrf(Exchange ex) {
        return ex.session == null ? null : ex.session.csrf();
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private void retired(Exchange ex, String[] p, boolean retired) {
        long id = Api.id(p[1], "certificate");
        ex.auditAs(retired ? "web.certificate.retire" : "web.certificate.unretire", "certificate:" + id);
        sources.monitored().setRetired(ex.scope, id, retired, ex.remote());
        ex.redirect("/certificates/" + id);
    }

    private void watching(Exchange ex, String[] p, boolean watching) {
        long id = Api.id(p[1], "location");
        ex.auditAs(watching ? "web.location.resume" : "web.location.stop", "location:" + id);
        sources.locations().setWatching(ex.scope, id, watching, ex.remote());
        ex.redirect("/locations/" + id);
    }

    private static String uploadForm(UserScope scope, String csrf, String replaces) {
        if (!Html.canWrite(scope)) {
            throw Problem.forbidden("you need the certificate write permission for this");
        }
        return "<p>PEM (one or more certificates), DER, PKCS#12: the kind is recognised from the content. The"
                + " certificates are monitored like issued ones; keys are not kept.</p>"
                + "<form class=\"box\" method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\">"
                + Html.csrfField(csrf)
                + "<label>File<input type=\"file\" name=\"file\" required></label>"
                + "<label>Password (PKCS#12 only)<input type=\"password\" name=\"password\" autocomplete=\"off\"></label>"
                + "<label>Home group<input name=\"group\" value=\"" + esc(scope.homeGroup()) + "\"></label>"
                + "<label>Replaces certificate (id, optional: it becomes the predecessor and stops alarming)"
                + "<input name=\"replaces\" inputmode=\"numeric\" value=\"" + esc(replaces == null ? "" : replaces)
                + "\"></label><button>Upload</button></form>";
    }

    private static String uploaded(String fileName, Imports.Imported answer) {
        StringBuilder b = new StringBuilder("<p>").append(esc(fileName == null ? "the file" : fileName)).append(": ")
                .append(answer.imported().size()).append(" imported, ").append(answer.alreadyPresent().size())
                .append(" already present.</p>");
        if (!answer.imported().isEmpty()) {
            b.append("<h2>Imported</h2>").append(Html.rows(answer.imported()));
        }
        if (!answer.alreadyPresent().isEmpty()) {
            b.append("<h2>Already present</h2><div class=\"table\"><table><tr><th>Subject</th><th>Where</th></tr>");
            for (ApiJson.AlreadyPresent a : answer.alreadyPresent()) {
                String where = a.certificateId() != 0 ? "<a href=\"/certificates/" + a.certificateId()
                        + "\">certificate " + a.certificateId() + "</a>"
                        : a.caId() != 0 ? "<a href=\"/cas/" + a.caId() + "\">CA " + a.caId() + "</a>"
                        : "<span class=\"muted\">kept in a group you do not see</span>";
                b.append("<tr><td>").append(esc(a.subject())).append("</td><td>").append(where).append("</td></tr>");
            }
            b.append("</table></div>");
        }
        return b.append("<p><a href=\"/upload\">Upload another file</a></p>").toString();
    }

    /** What the certificate page adds for a certificate: retired or superseded, where it is held, and its actions. */
    String certificateParts(UserScope scope, String csrf, Views.Row row) {
        CertificateInfo c = row.certificate();
        StringBuilder b = new StringBuilder();
        if (c.retired()) {
            b.append("<p class=\"muted\">Not monitored since ").append(esc(c.retiredAt()))
                    .append(": it keeps its status but never alarms.</p>");
        }
        if (c.successorId() != 0) {
            b.append("<p class=\"muted\">Superseded by <a href=\"/certificates/").append(c.successorId())
                    .append("\">certificate ").append(c.successorId()).append("</a>: it no longer alarms.</p>");
        }
        List<Location> held = sources.locations().heldAt(scope, c.id());
        if (!held.isEmpty()) {
            b.append("<h2>Held at</h2>").append(locationTable(held));
        }
        if (c.role() == Role.MONITORED && Html.canWrite(scope)) {
            b.append("<h2>Monitoring</h2><p><a href=\"/upload?replaces=").append(c.id())
                    .append("\">Upload its replacement…</a></p>");
            b.append(button(csrf, "/certificates/" + c.id() + (c.retired() ? "/unretire" : "/retire"),
                    c.retired() ? "Resume monitoring" : "Stop monitoring", ""));
            b.append(button(csrf, "/certificates/" + c.id() + "/delete", "Delete this monitored certificate", "danger"));
        }
        return b.toString();
    }

    static String button(String csrf, String action, String label, String cssClass) {
        return "<form class=\"box\" method=\"post\" action=\"" + esc(action) + "\">" + Html.csrfField(csrf)
                + "<button" + (cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"") + ">" + esc(label)
                + "</button></form>";
    }

    private String locationList(Exchange ex) {
        if (!sources.locations().available()) {
            return "<p class=\"muted\">The location registry is not running: no locations to show.</p>";
        }
        Locations.Filter f = sources.locations().filter(ex);
        List<Location> all = sources.locations().list(ex.scope, f);
        Paging paging = Paging.of(ex);
        StringBuilder b = new StringBuilder("<form class=\"filters\" method=\"get\" action=\"/locations\">")
                .append("<label>Source<input name=\"source\" value=\"").append(esc(f.source() == null ? "" : f.source()))
                .append("\"></label>").append(Pages.select("state", "State", LocationState.values(), f.state()))
                .append("<button>Filter</button></form><p class=\"muted\">").append(all.size()).append(" locations</p>")
                .append(locationTable(paging.page(all)));
        return b.append(Pages.pager("/locations", ex, paging, all.size())).toString();
    }

    private static String locationTable(List<Location> list) {
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>State</th><th>Location</th>"
                + "<th class=\"opt\">Source</th><th class=\"opt\">Group</th><th>Certificate</th><th>Findings</th>"
                + "<th class=\"opt\">Last check</th></tr>");
        for (Location l : list) {
            b.append("<tr><td>").append(LocationHtml.state(l)).append("</td><td><a href=\"/locations/").append(l.id()).append("\">")
                    .append(esc(l.ref().address())).append("</a></td><td class=\"opt\">").append(esc(l.ref().source()))
                    .append("</td><td class=\"opt\">").append(esc(l.ref().homeGroup())).append("</td><td>")
                    .append(l.certificateId() == 0 ? "" : "<a href=\"/certificates/" + l.certificateId() + "\">"
                            + l.certificateId() + "</a>")
                    .append("</td><td>").append(LocationHtml.findingsBrief(l)).append("</td><td class=\"opt\">")
                    .append(esc(l.lastCheck())).append("</td></tr>");
        }
        if (list.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">no locations</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private String location(UserScope scope, String csrf, Locations.Detail d) {
        Location l = d.location();
        StringBuilder b = new StringBuilder("<p>").append(LocationHtml.state(l)).append(" · ").append(esc(l.ref().source()))
                .append(" · ").append(esc(l.ref().kind())).append("</p><dl>")
                .append("<dt>address</dt><dd>").append(esc(l.ref().address())).append("</dd>")
                .append("<dt>homeGroup</dt><dd>").append(esc(l.ref().homeGroup())).append("</dd>")
                .append("<dt>lastCheck</dt><dd>").append(esc(l.lastCheck() == null ? "never" : l.lastCheck())).append("</dd>")
                .append("<dt>lastChange</dt><dd>").append(esc(l.lastChange())).append("</dd>")
                .append("<dt>firstSeen</dt><dd>").append(esc(l.firstSeen())).append("</dd>");
        if (l.state() == LocationState.FAILING) {
            b.append("<dt>failure</dt><dd>").append(esc(l.failure())).append("</dd><dt>reason</dt><dd>")
                    .append(esc(l.reason())).append("</dd><dt>consecutiveFailures</dt><dd>")
                    .append(l.consecutiveFailures()).append("</dd>");
        }
        if (l.probe() != null) {
            b.append(LocationHtml.probe(l.probe()));
        }
        b.append("</dl><h2>Findings</h2>").append(l.findings().isEmpty()
                ? "<p class=\"muted\">none at the last check</p>" : LocationHtml.findings(l.findings()))
                .append("<h2>Certificate and chain</h2>");
        List<LocationHtml.Presented> chain = new java.util.ArrayList<>();
        if (d.certificate() != null) {
            chain.add(new LocationHtml.Presented(0, d.certificate()));
        }
        for (Views.Row r : d.chain()) { // a certificate the caller may not see leaves a gap in the numbers
            chain.add(new LocationHtml.Presented(1 + l.chainIds().indexOf(r.id()), r));
        }
        b.append(LocationHtml.chain(chain, l.findings())).append("<h2>History</h2><div class=\"table\"><table><tr><th>Certificate</th>"
                + "<th>From</th><th>Until</th><th class=\"opt\">SHA-256</th></tr>");
        for (LocationHistoryEntry h : d.history()) {
            b.append("<tr><td><a href=\"/certificates/").append(h.certificateId()).append("\">").append(h.certificateId())
                    .append("</a></td><td>").append(esc(h.from())).append("</td><td>")
                    .append(h.until() == null ? "now" : esc(h.until())).append("</td><td class=\"opt\">")
                    .append(esc(h.fingerprint())).append("</td></tr>");
        }
        if (d.history().isEmpty()) {
            b.append("<tr><td colspan=\"4\" class=\"muted\">nothing yet</td></tr>");
        }
        b.append("</table></div>");
        if (Html.canWrite(scope)) {
            boolean stopped = l.state() == LocationState.NOT_WATCHED;
            b.append(button(csrf, "/locations/" + l.id() + (stopped ? "/resume" : "/stop"),
                    stopped ? "Resume watching" : "Stop watching", ""));
        }
        return b.toString();
    }

    private String sources(UserScope scope, String csrf) {
        StringBuilder b = new StringBuilder("<h2>Deployed sources</h2>");
        if (!sources.locations().available()) {
            b.append("<p class=\"muted\">The location registry is not running.</p>");
        } else {
            List<String> names = sources.locations().sources();
            b.append(names.isEmpty() ? "<p class=\"muted\">none</p>" : "<ul>" + names.stream()
                    .map(n -> "<li><a href=\"/locations?source=" + esc(n) + "\">" + esc(n) + "</a></li>")
                    .reduce("", String::concat) + "</ul>");
        }
        b.append("<p><a href=\"/upload\">Upload certificates to monitor…</a></p>");
        if (ServerAdministrators.includes(scope)) {
            b.append("<p><a href=\"/endpoints\">TLS endpoints</a> · <a href=\"/discovery\">Discovery of endpoints"
                    + "</a></p>");
        }
        b.append("<h2>Watched files</h2>");
        if (!sources.files().deployed()) {
            return b.append("<p class=\"muted\">The files source is not deployed (feature <code>files</code>).</p>")
                    .toString();
        }
        if (!FileSources.mayManage(scope)) {
            return b.append("<p class=\"muted\">Watched paths on the server's disk are for server administrators.</p>")
                    .toString();
        }
        b.append("<p class=\"muted\">Allowed roots: ").append(esc(String.join(", ", sources.files().watches().allowedRoots())))
                .append("</p><div class=\"table\"><table><tr><th>Pattern</th><th>Recursive</th><th>Group</th>"
                        + "<th>Password</th><th class=\"opt\">Description</th><th></th></tr>");
        for (FileWatch w : sources.files().list()) {
            b.append("<tr><td><a href=\"/locations?source=files\">").append(esc(w.pattern())).append("</a></td><td>")
                    .append(w.recursive() ? "yes" : "no").append("</td><td>").append(esc(w.homeGroup()))
                    .append("</td><td>").append(w.hasPassword() ? "stored" : "none").append("</td><td class=\"opt\">")
                    .append(esc(w.description())).append("</td><td>")
                    .append(button(csrf, "/sources/files/" + w.id() + "/delete", "Stop watching", "danger"))
                    .append("</td></tr>");
        }
        b.append("</table></div><h2>Watch a path</h2><form class=\"box\" method=\"post\" action=\"/sources/files\">")
                .append(Html.csrfField(csrf))
                .append("<label>Path or glob<input name=\"pattern\" required placeholder=\"/etc/ssl/**/*.pem\"></label>")
                .append("<label><input type=\"checkbox\" name=\"recursive\"> recursive</label>")
                .append("<label>Home group<input name=\"homeGroup\" value=\"").append(esc(scope.homeGroup()))
                .append("\"></label><label>Keystore password<input type=\"password\" name=\"password\""
                        + " autocomplete=\"off\"></label><label>Description<input name=\"description\"></label>"
                        + "<button>Watch</button></form>");
        return b.toString();
    }
}
