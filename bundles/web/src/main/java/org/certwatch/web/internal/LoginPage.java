package org.certwatch.web.internal;

import java.util.Map;
import java.util.Optional;
import org.certwatch.api.fleet.UserScope;
import org.eclipse.jetty.server.Handler;

/** {@code /login} (the form, and the session it opens) and {@code /logout}. */
final class LoginPage extends ExchangeStep {
    private final Logins logins;
    private final Sessions sessions;
    private final SessionChecks checks;
    private final Actions actions;
    private final Metrics metrics;

    LoginPage(Logins logins, Sessions sessions, SessionChecks checks, Actions actions, Metrics metrics, Handler next) {
        super(next);
        this.logins = logins;
        this.sessions = sessions;
        this.checks = checks;
        this.actions = actions;
        this.metrics = metrics;
    }

    @Override
    boolean handle(Exchange ex) {
        if (ex.path.equals("/login")) {
            login(ex);
            return true;
        }
        if (ex.path.equals("/logout")) {
            logout(ex);
            return true;
        }
        return false;
    }

    private void login(Exchange ex) {
        if (ex.isGet()) {
            ex.html(200, Pages.loginPage(null, safeNext(ex.param("next"))));
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
            scope = logins.check(ex, user, password.toCharArray());
        } catch (Problem p) {
            ex.html(p.status(), Pages.loginPage(p.title(), next));
            return;
        }
        if (scope.isEmpty()) {
            ex.html(401, Pages.loginPage("wrong user name or password", next));
            return;
        }
        Sessions.Session s = checks.open(scope.get());
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
            CsrfCheck.verify(ex, actions);
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
}
