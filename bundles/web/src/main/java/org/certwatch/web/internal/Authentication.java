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
    private final Sessions sessions;
    private final SessionChecks checks;
    private final Logins logins;
    private final boolean publicMetrics;

    Authentication(Sessions sessions, SessionChecks checks, Logins logins, boolean publicMetrics, Handler next) {
        super(next);
        this.sessions = sessions;
        this.checks = checks;
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
            // the user's current home group and permissions, not those of the login; none when the session ended
            ex.scope = checks.current(session.get(), ex.remote()).orElse(null);
            ex.session = ex.scope == null ? null : session.get();
        }
    }
}
