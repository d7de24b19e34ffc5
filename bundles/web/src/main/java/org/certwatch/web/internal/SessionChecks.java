package org.certwatch.web.internal;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.certwatch.api.fleet.User;
import org.certwatch.api.fleet.UserDirectory;
import org.certwatch.api.fleet.UserScope;

/**
 * A session acts with its user's current state, not with a copy taken at login: every request asks the
 * user directory (in memory) for the user, their home group and permissions, and their password's
 * version. A deleted or disabled user's sessions end, and so do the sessions opened before their
 * password was set (their own change keeps the session it was made in). The fleet's
 * {@code USER_CHANGED} events, also posted for a change made on another server sharing the storage,
 * end the sessions at once rather than at their next request, so that each forced logout is audited
 * once, when it happens.
 */
final class SessionChecks {
    private final Services services;
    private final Sessions sessions;
    private final VerifiedCredentials credentials;
    private final Actions actions;

    SessionChecks(Services services, Sessions sessions, VerifiedCredentials credentials, Actions actions) {
        this.services = services;
        this.sessions = sessions;
        this.credentials = credentials;
        this.actions = actions;
    }

    /** A new session for a user whose password was just checked. */
    Sessions.Session open(UserScope scope) {
        return sessions.create(scope, services.users().flatMap(d -> d.passwordVersion(scope.user())).orElse(""));
    }

    /**
     * The session's user as they are now; empty when the session has just ended (audited). Without a
     * user directory (the fleet bundle stopped) nobody can change a user here: the session keeps the
     * state it last saw, and is checked again once the directory is back.
     */
    Optional<UserScope> current(Sessions.Session session, String from) {
        Optional<UserDirectory> directory = services.users();
        if (directory.isEmpty()) {
            return Optional.of(session.scope());
        }
        String name = session.scope().user();
        Optional<User> user = directory.get().user(name);
        String ended = null;
        if (user.isEmpty()) {
            ended = "the user was deleted";
        } else if (!user.get().enabled()) {
            ended = "the user was disabled";
        } else if (passwordSetSince(session, directory.get().passwordVersion(name).orElse(""))) {
            ended = "the password was set after this session opened";
        }
        if (ended != null) {
            end(session, ended, from);
            return Optional.empty();
        }
        return Optional.of(user.get().scope());
    }

    /** Asks the session as kept now: its own password change may have given it the new version meanwhile. */
    private boolean passwordSetSince(Sessions.Session session, String version) {
        if (session.passwordVersion() == null || session.passwordVersion().equals(version)) {
            return false;
        }
        String kept = sessions.peek(session.id()).map(Sessions.Session::passwordVersion).orElse("");
        return kept != null && !kept.equals(version);
    }

    /**
     * After a change to the user (here, on the console or on another server): their sessions that may no
     * longer act end now, and credentials verified for HTTP Basic are checked again.
     */
    void recheck(String user) {
        credentials.forget(user);
        for (Sessions.Session s : sessions.of(user)) {
            current(s, "");
        }
    }

    /**
     * The user changes their own password in {@code session} (null for a request without one): that
     * session goes on with the new password's version, the user's others end.
     */
    <T> T ownPasswordChange(Sessions.Session session, String user, Supplier<T> change) {
        if (session == null) {
            T done = change.get();
            recheck(user);
            return done;
        }
        // not compared meanwhile: the fleet's event may reach recheck before the new version is kept
        sessions.restamp(session.id(), null);
        String version = session.passwordVersion();
        try {
            T done = change.get();
            version = services.users().flatMap(d -> d.passwordVersion(user)).orElse("");
            return done;
        } finally {
            sessions.restamp(session.id(), version);
            recheck(user);
        }
    }

    private void end(Sessions.Session session, String why, String from) {
        // a request and the event may find the same session: only the one that removes it audits
        if (sessions.remove(session.id())) {
            actions.audit(new UserScope(session.scope().user(), "", Set.of()), "logout",
                    "user:" + session.scope().user(), "forced: " + why, from);
        }
    }
}
