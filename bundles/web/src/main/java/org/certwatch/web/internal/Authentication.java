package org.certwatch.web.internal;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.certwatch.api.fleet.UserScope;
import org.eclipse.jetty.server.Handler;

/**
 * Who sends the request: an API token or HTTP Basic (API and metrics only), or the session cookie. Without either, the
 * API and metrics answer 401 (metrics not when public) and pages redirect to the login form.
 */
final class Authentication extends ExchangeStep {
    private final Services services;
    private final Sessions sessions;
    private final Logins logins;
    private final boolean publicMetrics;

    Authentication(Services services, Sessions sessions, Logins logins, boolean publicMetrics, Handler next) {
        super(next);
        this.services = services;
        this.sessions = sessions;
        this.logins = logins;
        this.publicMetrics = publicMetrics;
    }

    @Override
    boolean handle(Exchange ex) {
        boolean apiPath = ex.path.startsWith(Api.PREFIX) || ex.path.equals("/metrics");
        authenticate(ex, apiPath);
        if (ex.scope != null) {
            return false;
        }
        if (!apiPath) {
            String next = ex.isGet() ? ex.path : "/";
            ex.redirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
            return true;
        }
        if (ex.path.equals("/metrics") && publicMetrics) {
            ex.scope = UserScope.system();
            return false;
        }
        throw new Problem(401, "log in first: send an API token (Bearer), HTTP Basic credentials or the session cookie");
    }

    private void authenticate(Exchange ex, boolean apiPath) {
        String token = apiPath ? Logins.bearerToken(ex) : null;
        if (token != null) {
            ex.scope = logins.token(ex, token)
                    .orElseThrow(() -> new Problem(401, "unknown, expired or revoked API token"));
            return;
        }
        String[] pair = apiPath ? Logins.basicPair(ex) : null;
        if (pair != null) {
            ex.scope = logins.basic(ex, pair[0], pair[1])
                    .orElseThrow(() -> new Problem(401, "wrong user name or password").audited()); // as a failed login
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
}
