package org.certwatch.web.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;

/** The JSON API under {@code /api/v1/}; the caller is authenticated and CSRF-checked before it gets here. */
final class Api {
    static final String PREFIX = "/api/v1/";
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Services services;
    private final Views views;
    private final Actions actions;
    private final NotificationsApi notificationsApi;
    private final SettingsApi settingsApi;
    private final RolloverApi rolloverApi;
    private final SourcesApi sourcesApi;
    private final AdminApi adminApi;
    private final RenderCache rendered = new RenderCache();
    private final Router router;

    /** A cached list's slot: what besides the list object its JSON pages depend on. */
    private record ListSlot(String kind, UserScope scope, Object filter) {
    }

    Api(Services services, Views views, Actions actions, Notifications notifications, Settings settings,
            SourcesApi sourcesApi, AdminApi adminApi) {
        this.services = services;
        this.views = views;
        this.actions = actions;
        this.notificationsApi = new NotificationsApi(notifications);
        this.settingsApi = new SettingsApi(settings);
        this.rolloverApi = new RolloverApi(services);
        this.sourcesApi = sourcesApi;
        this.adminApi = adminApi;
        this.router = routes();
    }

    RolloverApi rollovers() {
        return rolloverApi;
    }

    void handle(Exchange ex) {
        router.dispatch(ex, ex.path.substring(PREFIX.length()));
    }

    /** The routes of every resource under {@code /api/v1/}. */
    private Router routes() {
        Router r = new Router((ex, p, known) -> known ? notAllowed(ex) : Problem.notFound("API resource '" + p[0] + "'"));
        r.on("GET", "session", (ex, p) -> ex.json(200, ApiJson.Session.of(ex.scope, ex.session)))
                .on("GET", "status", (ex, p) -> ex.json(200, status(ex.scope)))
                .on("GET", "attention", (ex, p) -> ex.json(200,
                        Paging.of(ex).json(views.attention(ex.scope), ApiJson.Attention::of)))
                .on("GET", "computers", (ex, p) -> ex.json(200, Paging.of(ex).json(views.computers(ex.scope), ApiJson::of)))
                .on("GET", "computers/*", (ex, p) -> {
                    Views.ComputerRow c = views.computer(ex.scope, id(p[1], "computer"));
                    ex.json(200, ApiJson.of(c, adminApi.policies().applied(c.computer())));
                })
                .on("GET", "audit", (ex, p) -> ex.json(200, Paging.of(ex).json(audit(ex.scope, ex), ApiJson.Audit::of)));
        // a certificate's or CA's path names it by id first: an id that is none is "not found" whatever follows
        // (certificates/import, the upload, names none)
        r.before(Router.ANY, "certificates/*/**", (ex, p) -> {
            if (!(p.length == 2 && p[1].equals("import"))) {
                id(p[1], "certificate");
            }
        })
                .on("GET", "certificates", this::certificates)
                .on("POST", "certificates", this::issue)
                .on("GET", "certificates/*", (ex, p) -> ex.json(200,
                        ApiJson.of(views.certificate(ex.scope, id(p[1], "certificate")))))
                .on("GET", "certificates/*/pem", (ex, p) -> {
                    long id = id(p[1], "certificate");
                    ex.download("application/x-pem-file", fileName(ex, "certificate-" + id) + ".pem", actions.pem(ex.scope, id));
                })
                .on("POST", "certificates/*/pkcs12", this::pkcs12)
                .on("POST", "certificates/*/revoke", this::revoke);
        r.before(Router.ANY, "cas/*/**", (ex, p) -> {
            if (!(p.length == 2 && p[1].equals("import"))) { // cas/import, the upload, names none
                id(p[1], "CA");
            }
        })
                .on("GET", "cas", (ex, p) -> ex.send(200, "application/json",
                        rows(Paging.of(ex), views.cas(ex.scope, Actions.status(ex.param("status"))))))
                .on("POST", "cas", this::createCa)
                .on("GET", "cas/*", (ex, p) -> ex.json(200, ApiJson.of(views.ca(ex.scope, id(p[1], "CA")))))
                .on("GET", "cas/*/pem", (ex, p) -> {
                    long id = id(p[1], "CA");
                    ex.download("application/x-pem-file", fileName(ex, "ca-" + id) + ".pem", actions.caPem(ex.scope, id));
                });
        notificationsApi.routes(r);
        settingsApi.routes(r);
        rolloverApi.routes(r);
        sourcesApi.routes(r);
        adminApi.routes(r);
        return r;
    }

    private void certificates(Exchange ex, String[] p) {
        Paging paging = Paging.of(ex);
        Views.CertificateFilter filter = filter(ex);
        List<Views.Row> all = views.certificates(ex.scope, filter);
        ex.send(200, "application/json", rendered.get(new ListSlot("certificates", ex.scope, filter), all, paging,
                () -> rows(paging, all)));
    }

    private void issue(Exchange ex, String[] p) {
        ex.auditAs("web.certificate.issue", "certificate:new");
        CertificateInfo c = actions.issue(ex.scope, Json.read(ex.body(), Actions.IssueBody.class), ex.remote());
        ex.response.getHeaders().put("Location", PREFIX + "certificates/" + c.id());
        ex.json(201, ApiJson.of(views.row(c, views.now())));
    }

    private void pkcs12(Exchange ex, String[] p) {
        long id = id(p[1], "certificate");
        ex.auditAs("web.certificate.export", "certificate:" + id);
        String name = fileName(ex, "certificate-" + id);
        byte[] p12 = actions.pkcs12(ex.scope, id, Json.read(ex.body(), Actions.Pkcs12Body.class), ex.remote());
        ex.download("application/x-pkcs12", name + ".p12", p12);
    }

    private void revoke(Exchange ex, String[] p) {
        long id = id(p[1], "certificate");
        ex.auditAs("web.certificate.revoke", "certificate:" + id);
        CertificateInfo c = actions.revoke(ex.scope, id, Json.read(ex.body(), Actions.RevokeBody.class), ex.remote());
        ex.json(200, ApiJson.of(views.row(c, views.now())));
    }

    private void createCa(Exchange ex, String[] p) {
        ex.auditAs("web.ca.create", "ca:new");
        CaInfo ca = actions.createCa(ex.scope, Json.read(ex.body(), Actions.CaBody.class), ex.remote());
        ex.response.getHeaders().put("Location", PREFIX + "cas/" + ca.id());
        ex.json(201, ApiJson.of(views.row(ca, views.now())));
    }

    /**
     * A page of rows as JSON, each row's JSON kept while its (cached, immutable) row object lives, so
     * paging through 100,000 certificates serialises every row once per recomputation, not per request.
     */
    private byte[] rows(Paging paging, List<Views.Row> all) {
        List<Views.Row> page = paging.page(all);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256 + page.size() * 800);
        out.writeBytes("{\"items\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        for (int i = 0; i < page.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(rowJson(page.get(i)));
        }
        out.writeBytes(("],\"offset\":" + paging.offset() + ",\"limit\":" + paging.limit() + ",\"total\":" + all.size() + "}")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private record RowJson(Views.Row row, byte[] json) {
    }

    private final Map<Long, RowJson> rowJson = new java.util.concurrent.ConcurrentHashMap<>();

    private byte[] rowJson(Views.Row row) {
        long key = row.isCa() ? -row.id() : row.id();
        RowJson cached = rowJson.get(key);
        if (cached != null && cached.row() == row) {
            return cached.json();
        }
        byte[] json = Json.write(ApiJson.of(row));
        rowJson.put(key, new RowJson(row, json));
        return json;
    }

    /** The certificate list's filters; a group filter is checked as every group a request names. */
    Views.CertificateFilter filter(Exchange ex) {
        Long ca = null;
        if (ex.param("ca") != null) {
            try {
                ca = Long.parseLong(ex.param("ca"));
            } catch (NumberFormatException e) {
                throw Problem.badRequest("ca must be a CA id (a whole number), not '" + ex.param("ca") + "'");
            }
        }
        return new Views.CertificateFilter(Actions.status(ex.param("status")),
                Actions.parseOptional(Role.class, ex.param("role"), "role"), ca,
                ex.param("group") == null ? null : actions.groups.known(ex.scope, ex.param("group"), "parameter 'group'"));
    }

    ApiJson.Status status(UserScope scope) {
        return ApiJson.Status.of(views.dashboard(scope));
    }

    /**
     * Administrators of {@code All} see the audit entries of everyone; an administrator of a group below it
     * those of the users in their scope (themselves included), since the others' entries name groups, users
     * and objects outside it (a group that would answer "unknown group" shows in a {@code group.create}),
     * and so does the server's own ({@code system}); other users their own.
     */
    List<AuditEntry> audit(UserScope scope, Exchange ex) {
        String actor = scope.has(Permission.ADMINISTRATION) ? ex.param("actor") : scope.user();
        if (actor != null && ex.param("actor") != null && !actor.equals(ex.param("actor"))) {
            return List.of();
        }
        List<AuditEntry> entries = new ArrayList<>(services.audit().list(
                new AuditQuery(null, null, actor, ex.param("action"), ex.param("target"), 0)));
        if (scope.has(Permission.ADMINISTRATION) && !scope.homeGroup().equals(Group.ROOT)) {
            Set<String> inScope = new HashSet<>(List.of(scope.user()));
            services.users().ifPresent(d -> d.users().stream().filter(u -> scope.covers(u.homeGroup()))
                    .forEach(u -> inScope.add(u.name())));
            entries.removeIf(e -> !inScope.contains(e.actor()));
        }
        java.util.Collections.reverse(entries); // newest first
        return entries;
    }

    /** A download's file name from {@code ?name=}: plain names only, so nothing can point elsewhere. */
    static String fileName(Exchange ex, String fallback) {
        String name = ex.param("name");
        if (name == null) {
            return fallback;
        }
        if (!SAFE_NAME.matcher(name).matches() || name.contains("..")) {
            throw Problem.badRequest("download name '" + name
                    + "' is not allowed: use letters, digits, '.', '_' and '-' only (at most 64), no path");
        }
        return name;
    }

    static long id(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw Problem.notFound(what + " '" + text + "'");
        }
    }

    static Problem notAllowed(Exchange ex) {
        return new Problem(ex.isGet() ? 404 : 405, ex.isGet() ? "no such API path: " + ex.path
                : ex.method + " is not allowed on " + ex.path);
    }
}
