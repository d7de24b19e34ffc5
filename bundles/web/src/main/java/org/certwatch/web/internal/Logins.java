package org.certwatch.web.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.fleet.UserScope;
import org.eclipse.jetty.http.HttpHeader;

/** Password checks, by the login form and by HTTP Basic, with the lockout after repeated failures. */
final class Logins {
    private final Services services;
    private final Sessions sessions;
    private final VerifiedCredentials credentials;
    private final Actions actions;
    private final Metrics metrics;

    Logins(Services services, Sessions sessions, VerifiedCredentials credentials, Actions actions, Metrics metrics) {
        this.services = services;
        this.sessions = sessions;
        this.credentials = credentials;
        this.actions = actions;
        this.metrics = metrics;
    }

    /** Who the request claims to come from, for the audit log: the session's user or the Basic name as sent. */
    String claimedUser(Exchange ex) {
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
    static String[] basicPair(Exchange ex) {
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

    /** The text of {@code Authorization: Bearer …}; null when the request sends none. */
    static String bearerToken(Exchange ex) {
        String authorization = ex.header(HttpHeader.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }

    /**
     * An API token: a valid one counts as a verified request of its user (the lockout refuses it and it
     * clears the failures counted meanwhile, as verified Basic credentials do). A wrong token costs the
     * caller nothing to send, so it is counted but not audited, like any request without credentials.
     */
    Optional<UserScope> token(Exchange ex, String text) {
        Optional<User> user = services.apiTokens()
                .orElseThrow(() -> Problem.unavailable("no API tokens are available: the fleet bundle is not deployed"))
                .authenticate(text);
        if (user.isEmpty()) {
            metrics.loginFailures.incrementAndGet();
            return Optional.empty();
        }
        String name = user.get().name();
        Optional<Instant> locked = sessions.lockedUntil(name);
        if (locked.isPresent()) {
            refuseLocked(ex, name, locked.get());
        }
        sessions.succeeded(name);
        return Optional.of(user.get().scope());
    }

    /**
     * HTTP Basic: credentials verified a moment ago skip the slow password hash (see
     * {@link VerifiedCredentials}); the lockout applies either way, and the user's current state
     * (enabled, permissions) is always the directory's.
     */
    Optional<UserScope> basic(Exchange ex, String user, String password) {
        if (sessions.lockedUntil(user).isEmpty() && credentials.skipCheck(user, password)) {
            Optional<User> current = directory().user(user).filter(User::enabled);
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
            // once per verification, not per request (verified credentials skip the check for a while)
            actions.audit(scope.get(), "login", "user:" + user, "ok: HTTP Basic", ex.remote());
        }
        return scope;
    }

    /**
     * Checks a user name and password, applying the lockout; audits every outcome that is not a plain
     * success via Basic. A failure, by form or Basic, also drops the name's verified Basic credentials.
     */
    Optional<UserScope> check(Exchange ex, String user, char[] password) {
        Optional<Instant> locked = sessions.lockedUntil(user);
        if (locked.isPresent()) {
            refuseLocked(ex, user, locked.get());
        }
        Optional<User> found = directory().authenticate(user, password);
        Arrays.fill(password, '\0');
        if (found.isEmpty() || !found.get().enabled()) {
            credentials.forget(user);
            sessions.failed(user);
            metrics.loginFailures.incrementAndGet();
            actions.audit(new UserScope(user, "", Set.of()), "login", "user:" + user,
                    "failed: wrong user name or password", ex.remote());
            return Optional.empty();
        }
        sessions.succeeded(user);
        return Optional.of(found.get().scope());
    }

    /** 429 with Retry-After, audited. */
    private void refuseLocked(Exchange ex, String user, Instant locked) {
        actions.audit(new UserScope(user, "", Set.of()), "login", "user:" + user, "refused: locked until " + locked,
                ex.remote());
        metrics.loginFailures.incrementAndGet();
        Duration left = Duration.between(services.clock().instant(), locked);
        long seconds = Math.max(1, left.getSeconds() + (left.getNano() > 0 ? 1 : 0));
        ex.response.getHeaders().put(HttpHeader.RETRY_AFTER, seconds);
        throw new Problem(429, "too many failed logins for '" + user + "': try again after " + locked).audited();
    }

    private UserDirectory directory() {
        return services.users()
                .orElseThrow(() -> Problem.unavailable("no user directory is running: the fleet bundle is not deployed"));
    }
}
