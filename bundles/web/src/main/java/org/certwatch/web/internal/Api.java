package org.certwatch.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
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
    private final RenderCache rendered = new RenderCache();

    /** A cached list's slot: what besides the list object its JSON pages depend on. */
    private record ListSlot(String kind, UserScope scope, Object filter) {
    }

    Api(Services services, Views views, Actions actions, Notifications notifications, Settings settings) {
        this.services = services;
        this.views = views;
        this.actions = actions;
        this.notificationsApi = new NotificationsApi(notifications);
        this.settingsApi = new SettingsApi(settings);
        this.rolloverApi = new RolloverApi(services);
    }

    RolloverApi rollovers() {
        return rolloverApi;
    }

    void handle(Exchange ex) {
        String[] p = ex.path.substring(PREFIX.length()).split("/", -1);
        UserScope scope = ex.scope;
        String from = ex.remote();
        String resource = p[0];
        boolean get = ex.isGet();
        switch (resource) {
            case "session" -> {
                only(get && p.length == 1, ex);
                ex.json(200, ApiJson.Session.of(scope, ex.session));
            }
            case "status" -> {
                only(get && p.length == 1, ex);
                ex.json(200, status(scope));
            }
            case "attention" -> {
                only(get && p.length == 1, ex);
                ex.json(200, Paging.of(ex).json(views.attention(scope), ApiJson.Attention::of));
            }
            case "certificates" -> certificates(ex, p, scope, from);
            case "cas" -> cas(ex, p, scope, from);
            case "computers" -> {
                Paging paging = Paging.of(ex);
                if (p.length == 1 && get) {
                    ex.json(200, paging.json(views.computers(scope), ApiJson::of));
                } else if (p.length == 2 && get) {
                    ex.json(200, ApiJson.of(views.computer(scope, id(p[1], "computer"))));
                } else {
                    throw notAllowed(ex);
                }
            }
            case "groups" -> {
                only(get && p.length == 1, ex);
                List<Group> groups = services.groups().map(d -> d.groups()).orElse(List.of()).stream()
                        .filter(g -> scope.covers(g.path())).toList();
                ex.json(200, Paging.of(ex).json(groups, g -> g));
            }
            case "users" -> {
                only(get && p.length == 1, ex);
                List<User> users = services.users().map(d -> d.users()).orElse(List.of()).stream()
                        .filter(u -> scope.has(Permission.ADMINISTRATION) ? scope.covers(u.homeGroup())
                                : u.name().equals(scope.user()))
                        .toList();
                ex.json(200, Paging.of(ex).json(users, ApiJson.UserJson::of));
            }
            case "audit" -> {
                only(get && p.length == 1, ex);
                ex.json(200, Paging.of(ex).json(audit(scope, ex), ApiJson.Audit::of));
            }
            case "notifications" -> notificationsApi.handle(ex, p);
            case "settings" -> settingsApi.handle(ex, p);
            case "rollover" -> rolloverApi.handle(ex, p, scope, from);
            default -> throw Problem.notFound("API resource '" + resource + "'");
        }
    }

    private void certificates(Exchange ex, String[] p, UserScope scope, String from) {
        if (p.length == 1) {
            if (ex.isGet()) {
                Paging paging = Paging.of(ex);
                Views.CertificateFilter filter = filter(ex);
                List<Views.Row> all = views.certificates(scope, filter);
                ex.send(200, "application/json", rendered.get(new ListSlot("certificates", scope, filter), all, paging,
                        () -> rows(paging, all)));
            } else if ("POST".equals(ex.method)) {
                ex.auditAs("web.certificate.issue", "certificate:new");
                CertificateInfo c = actions.issue(scope, Json.read(ex.body(), Actions.IssueBody.class), from);
                ex.response.getHeaders().put("Location", PREFIX + "certificates/" + c.id());
                ex.json(201, ApiJson.of(views.row(c, views.now())));
            } else {
                throw notAllowed(ex);
            }
            return;
        }
        long id = id(p[1], "certificate");
        if (p.length == 2 && ex.isGet()) {
            ex.json(200, ApiJson.of(views.certificate(scope, id)));
        } else if (p.length == 3 && p[2].equals("pem") && ex.isGet()) {
            byte[] pem = actions.pem(scope, id);
            ex.download("application/x-pem-file", fileName(ex, "certificate-" + id) + ".pem", pem);
        } else if (p.length == 3 && p[2].equals("pkcs12") && "POST".equals(ex.method)) {
            ex.auditAs("web.certificate.export", "certificate:" + id);
            String name = fileName(ex, "certificate-" + id);
            byte[] p12 = actions.pkcs12(scope, id, Json.read(ex.body(), Actions.Pkcs12Body.class), from);
            ex.download("application/x-pkcs12", name + ".p12", p12);
        } else if (p.length == 3 && p[2].equals("revoke") && "POST".equals(ex.method)) {
            ex.auditAs("web.certificate.revoke", "certificate:" + id);
            CertificateInfo c = actions.revoke(scope, id, Json.read(ex.body(), Actions.RevokeBody.class), from);
            ex.json(200, ApiJson.of(views.row(c, views.now())));
        } else {
            throw notAllowed(ex);
        }
    }

    private void cas(Exchange ex, String[] p, UserScope scope, String from) {
        if (p.length == 1) {
            if (ex.isGet()) {
                Paging paging = Paging.of(ex);
                ex.send(200, "application/json", rows(paging, views.cas(scope, Actions.status(ex.param("status")))));
            } else if ("POST".equals(ex.method)) {
                ex.auditAs("web.ca.create", "ca:new");
                CaInfo ca = actions.createCa(scope, Json.read(ex.body(), Actions.CaBody.class), from);
                ex.response.getHeaders().put("Location", PREFIX + "cas/" + ca.id());
                ex.json(201, ApiJson.of(views.row(ca, views.now())));
            } else {
                throw notAllowed(ex);
            }
            return;
        }
        long id = id(p[1], "CA");
        if (p.length == 2 && ex.isGet()) {
            ex.json(200, ApiJson.of(views.ca(scope, id)));
        } else if (p.length == 3 && p[2].equals("pem") && ex.isGet()) {
            ex.download("application/x-pem-file", fileName(ex, "ca-" + id) + ".pem", actions.caPem(scope, id));
        } else {
            throw notAllowed(ex);
        }
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

    /** Administrators see the audit entries of everyone; other users their own. */
    List<AuditEntry> audit(UserScope scope, Exchange ex) {
        String actor = scope.has(Permission.ADMINISTRATION) ? ex.param("actor") : scope.user();
        if (actor != null && ex.param("actor") != null && !actor.equals(ex.param("actor"))) {
            return List.of();
        }
        List<AuditEntry> entries = new ArrayList<>(services.audit().list(
                new AuditQuery(null, null, actor, ex.param("action"), ex.param("target"), 0)));
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

    private static void only(boolean ok, Exchange ex) {
        if (!ok) {
            throw notAllowed(ex);
        }
    }

    static Problem notAllowed(Exchange ex) {
        return new Problem(ex.isGet() ? 404 : 405, ex.isGet() ? "no such API path: " + ex.path
                : ex.method + " is not allowed on " + ex.path);
    }
}
