package org.certwatch.web.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.store.CertificateStoreException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The one request handler: routing, the cross-site check on every state-changing request,
 * authentication (session cookie or, for the API, HTTP Basic), the API's body types, the CSRF check on
 * every state-changing request made with the session cookie, and the mapping of every refusal to
 * problem+json (API) or an error page (HTML) — never a stack trace.
 */
final class WebHandler extends Handler.Abstract {
    private static final Logger LOG = Logger.getLogger("org.certwatch.web");
    static final String CSRF_HEADER = "X-CSRF-Token";
    /**
     * The challenge of a 401 under /api/v1/ and /metrics. Not "Basic": a browser shown a Basic challenge
     * asks for a password and then sends it with every request to this server, also those a page
     * elsewhere makes it send. Scripts send Basic credentials without being asked (curl -u, Prometheus'
     * basic_auth), and an unknown scheme makes a browser show the problem instead of a dialog.
     */
    static final String CHALLENGE = "Basic-Preemptive realm=\"certwatch\", charset=\"UTF-8\"";

    private final Services services;
    private final Sessions sessions;
    private final Api api;
    private final Pages pages;
    private final Metrics metrics;
    private final Actions actions;
    private final Views views;
    private final boolean publicMetrics;
    private final byte[] stylesheet;
    private final VerifiedCredentials credentials;
    private final CrossSiteGuard crossSite;
    private final RefusalAudit refusals;

    WebHandler(Services services, Sessions sessions, VerifiedCredentials credentials, CrossSiteGuard crossSite,
            Duration fallbackWarning, boolean publicMetrics) {
        this.services = services;
        this.sessions = sessions;
        this.credentials = credentials;
        this.crossSite = crossSite;
        Views views = new Views(services, fallbackWarning);
        this.views = views;
        this.actions = new Actions(services, views);
        this.refusals = new RefusalAudit(actions);
        Notifications notifications = new Notifications(services, actions);
        Settings settings = new Settings(services, views, actions);
        this.api = new Api(services, views, actions, notifications, settings);
        this.pages = new Pages(views, actions, api, new NotificationPages(notifications), new SettingsPages(settings));
        this.metrics = new Metrics(views, services);
        this.publicMetrics = publicMetrics;
        this.stylesheet = resource("/static/style.css");
    }

    /** A store, fleet or clock change: cached lists and dashboards are recomputed. */
    void invalidate() {
        views.invalidate();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Exchange ex;
        try {
            ex = new Exchange(request, response, callback);
        } catch (RuntimeException e) {
            response.setStatus(400);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/problem+json");
            response.write(true, java.nio.ByteBuffer.wrap(Json.problem(400, "malformed request URI", "")), callback);
            return true;
        }
        metrics.requests.incrementAndGet();
        boolean apiPath = ex.path.startsWith(Api.PREFIX) || ex.path.equals("/metrics") || ex.path.startsWith("/crl/");
        try {
            route(ex);
        } catch (Problem p) {
            fail(ex, apiPath, p);
        } catch (CertificateStoreException e) {
            fail(ex, apiPath, Problem.badRequest(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "request " + ex.method + " " + ex.path + " failed", e);
            fail(ex, apiPath, new Problem(500, "internal error; the server log has the details"));
        }
        return true;
    }

    private void fail(Exchange ex, boolean apiPath, Problem p) {
        if (p.status() != 413) {
            ex.discardUnreadBody();
        }
        if (p.status() != 415) {
            refusals.record(ex, p);
        }
        if (p.status() == 401 && ex.path.startsWith(Api.PREFIX) || p.status() == 401 && ex.path.equals("/metrics")) {
            ex.response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, CHALLENGE);
        }
        if (p.status() == 415) {
            // refused before anything was parsed (here or when an endpoint read its body): one entry, named for it
            actions.audit(ex.scope, "content-type", ex.path, "refused: " + p.title(), ex.remote());
        }
        if (apiPath) {
            ex.problem(p);
        } else {
            ex.html(p.status(), Pages.errorPage(ex.scope, ex.session == null ? null : ex.session.csrf(), p));
        }
    }

    private void route(Exchange ex) {
        String path = ex.path;
        if (!ex.isGet()) {
            refuseCrossSite(ex);
        }
        if (path.equals("/static/style.css")) {
            ex.response.getHeaders().put(HttpHeader.CACHE_CONTROL, "max-age=3600");
            ex.send(200, "text/css; charset=utf-8", stylesheet);
            return;
        }
        if (path.startsWith("/crl/")) {
            crl(ex);
            return;
        }
        if (path.equals("/login")) {
            login(ex);
            return;
        }
        if (path.equals("/logout")) {
            logout(ex);
            return;
        }
        if (path.equals("/favicon.ico")) {
            throw Problem.notFound("favicon");
        }
        boolean apiPath = path.startsWith(Api.PREFIX) || path.equals("/metrics");
        authenticate(ex, apiPath);
        if (ex.scope == null) {
            if (apiPath) {
                if (path.equals("/metrics") && publicMetrics) {
                    ex.scope = UserScope.system();
                } else {
                    throw new Problem(401, "log in first: send HTTP Basic credentials or the session cookie");
                }
            } else {
                String next = ex.isGet() ? path : "/";
                ex.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
                return;
            }
        }
        if (path.startsWith(Api.PREFIX) && !ex.isGet()) {
            String type = ex.header(HttpHeader.CONTENT_TYPE);
            if (type != null && !ApiBodyTypes.accepted(ApiBodyTypes.mediaType(type))) {
                throw ApiBodyTypes.unsupported(type);
            }
        }
        if (ex.session != null && !ex.isGet()) {
            checkCsrf(ex);
        }
        if (path.equals("/metrics")) {
            if (!ex.isGet()) {
                throw new Problem(405, "use GET for /metrics");
            }
            ex.stream(Metrics.CONTENT_TYPE, metrics.render(ex.scope));
        } else if (path.startsWith(Api.PREFIX)) {
            api.handle(ex);
        } else {
            pages.handle(ex);
        }
    }

    /**
     * A state-changing request a browser sent for a page of another site is refused whatever its
     * credentials, before any password is checked (see {@link CrossSiteGuard}).
     */
    private void refuseCrossSite(Exchange ex) {
        String refusal = crossSite.refusal(ex.request);
        if (refusal == null) {
            return;
        }
        actions.audit(new UserScope(claimedUser(ex), "", java.util.Set.of()), "csrf", ex.path, "refused: " + refusal,
                ex.remote());
        throw Problem.forbidden(refusal + ": state changes are accepted only from this server's own pages"
                + " (or an origin in allowed.origins) and from scripts").audited();
    }

    /** Who the request claims to come from, for the audit log: the session's user or the Basic name as sent. */
    private String claimedUser(Exchange ex) {
        Optional<Sessions.Session> session = sessions.find(ex.cookie(Exchange.SESSION_COOKIE));
        if (session.isPresent()) {
            return session.get().scope().user();
        }
        try {
            String[] pair = basicPair(ex);
            String name = pair == null ? "" : pair[0];
            return name.length() <= 128 ? name : name.substring(0, 128) + "…";
        } catch (Problem malformed) {
            return "";
        }
    }

    /** User name and password of HTTP Basic credentials; null when the request sends none; 401 when they are malformed. */
    private static String[] basicPair(Exchange ex) {
        String authorization = ex.header(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Problem(401, "malformed HTTP Basic credentials");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new Problem(401, "malformed HTTP Basic credentials");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }

    /** CRLs at the distribution point the store writes into certificates ({@code <base>/<caId>.crl}); no login. */
    private void crl(Exchange ex) {
        String name = ex.path.substring("/crl/".length());
        if (!ex.isGet() || !name.matches("[0-9]{1,18}\\.crl")) {
            throw Problem.notFound("CRL '" + name + "'");
        }
        long id = Long.parseLong(name.substring(0, name.length() - 4));
        if (services.store().ca(id).isEmpty()) {
            throw Problem.notFound("CRL of CA " + id);
        }
        ex.send(200, "application/pkix-crl", services.store().crl(id, false));
    }

    private void authenticate(Exchange ex, boolean apiPath) {
        String[] pair = apiPath ? basicPair(ex) : null;
        if (pair != null) {
            ex.scope = basic(ex, pair[0], pair[1]).orElseThrow(() -> new Problem(401, "wrong user name or password").audited()); // as a failed login
            return;
        }
        Optional<Sessions.Session> session = sessions.find(ex.cookie(Exchange.SESSION_COOKIE));
        if (session.isPresent()) {
            ex.session = session.get();
            ex.scope = session.get().scope();
            // permissions may have changed since the login: take the current ones when fleet runs
            services.users().flatMap(d -> d.user(ex.scope.user())).ifPresent(u -> {
                if (!u.enabled()) {
                    sessions.remove(ex.session.id());
                    ex.session = null;
                    ex.scope = null;
                } else {
                    ex.scope = u.scope();
                }
            });
        }
    }

    /**
     * HTTP Basic: credentials verified a moment ago skip the slow password hash (see
     * {@link VerifiedCredentials}); the lockout applies either way, and the user's current state
     * (enabled, permissions) is always the directory's.
     */
    private Optional<UserScope> basic(Exchange ex, String user, String password) {
        if (sessions.lockedUntil(user).isEmpty() && credentials.skipCheck(user, password)) {
            UserDirectory directory = services.users()
                    .orElseThrow(() -> new Problem(503, "no user directory is running: the fleet bundle is not deployed"));
            Optional<User> current = directory.user(user).filter(User::enabled);
            if (current.isPresent()) {
                // verified like a password check: failures counted meanwhile no longer lead to a lockout
                sessions.succeeded(user);
                return Optional.of(current.get().scope());
            }
            credentials.forget(user);
        }
        Optional<UserScope> scope = check(ex, user, password.toCharArray());
        if (scope.isPresent()) {
            credentials.verified(user, password);
        }
        return scope;
    }

    /**
     * Checks a user name and password, applying the lockout; audits every outcome that is not a plain
     * success via Basic. A failure, by form or Basic, also drops the name's verified Basic credentials.
     */
    private Optional<UserScope> check(Exchange ex, String user, char[] password) {
        Optional<java.time.Instant> locked = sessions.lockedUntil(user);
        if (locked.isPresent()) {
            actions.audit(new UserScope(user, "", java.util.Set.of()), "login", "user:" + user,
                    "refused: locked until " + locked.get(), ex.remote());
            metrics.loginFailures.incrementAndGet();
            Duration left = Duration.between(services.clock().instant(), locked.get());
            long seconds = Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
            ex.response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
            throw new Problem(429, "too many failed logins for '" + user + "': try again after " + locked.get()).audited();
        }
        UserDirectory directory = services.users()
                .orElseThrow(() -> new Problem(503, "no user directory is running: the fleet bundle is not deployed"));
        Optional<User> found = directory.authenticate(user, password);
        java.util.Arrays.fill(password, '\0');
        if (found.isEmpty() || !found.get().enabled()) {
            credentials.forget(user);
            sessions.failed(user);
            metrics.loginFailures.incrementAndGet();
            actions.audit(new UserScope(user, "", java.util.Set.of()), "login", "user:" + user,
                    "failed: wrong user name or password", ex.remote());
            return Optional.empty();
        }
        sessions.succeeded(user);
        return Optional.of(found.get().scope());
    }

    private void checkCsrf(Exchange ex) {
        String sent = ex.request.getHeaders().get(CSRF_HEADER);
        if (sent == null) {
            String type = ex.header(HttpHeader.CONTENT_TYPE);
            if (type != null && type.toLowerCase().startsWith("application/x-www-form-urlencoded")) {
                sent = ex.form().get("csrf");
            }
        }
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                ex.session.csrf().getBytes(StandardCharsets.UTF_8))) {
            actions.audit(ex.scope, "csrf", ex.path, "refused: " + (sent == null ? "missing" : "wrong") + " CSRF token",
                    ex.remote());
            throw Problem.forbidden((sent == null ? "missing" : "wrong")
                    + " CSRF token: send the session's token in the X-CSRF-Token header or the form's csrf field").audited();
        }
    }

    private void login(Exchange ex) {
        if (ex.isGet()) {
            String next = ex.param("next");
            ex.html(200, Pages.loginPage(null, safeNext(next)));
            return;
        }
        if (!"POST".equals(ex.method)) {
            throw new Problem(405, "use GET or POST for /login");
        }
        Map<String, String> form = ex.form();
        String user = form.getOrDefault("user", "").trim();
        String password = form.getOrDefault("password", "");
        String next = safeNext(form.get("next"));
        Optional<UserScope> scope;
        try {
            scope = check(ex, user, password.toCharArray());
        } catch (Problem p) {
            ex.html(p.status(), Pages.loginPage(p.title(), next));
            return;
        }
        if (scope.isEmpty()) {
            ex.html(401, Pages.loginPage("wrong user name or password", next));
            return;
        }
        Sessions.Session s = sessions.create(scope.get());
        metrics.logins.incrementAndGet();
        actions.audit(scope.get(), "login", "user:" + user, "ok", ex.remote());
        ex.setCookie(s.id(), false);
        ex.redirect(next);
    }

    private void logout(Exchange ex) {
        if (!"POST".equals(ex.method)) {
            throw new Problem(405, "log out with POST (the page's Log out button)");
        }
        Optional<Sessions.Session> s = sessions.find(ex.cookie(Exchange.SESSION_COOKIE));
        if (s.isPresent()) {
            ex.session = s.get();
            ex.scope = s.get().scope();
            checkCsrf(ex);
            sessions.remove(s.get().id());
            actions.audit(ex.scope, "logout", "user:" + ex.scope.user(), "ok", ex.remote());
        }
        ex.setCookie("", true);
        ex.redirect("/login");
    }

    /** Only local paths after login: no open redirect to another site. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\")
                || next.startsWith("/login") || next.startsWith("/logout")) {
            return "/";
        }
        return next;
    }

    static boolean administers(UserScope scope) {
        return scope.has(Permission.ADMINISTRATION);
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebHandler.class.getResourceAsStream(name)) {
            return in == null ? new byte[0] : in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
