package org.certwatch.web.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.certwatch.api.fleet.UserScope;

/**
 * Login sessions (in memory: a redeploy of the web bundle logs everyone out, which is the safe
 * side) and the per-user-name lockout after repeated failed logins. Times come from the registry
 * clock, so tests move time instead of waiting.
 */
final class Sessions {
    /**
     * {@code scope} as at login (the user's current one is the directory's, see {@link SessionChecks});
     * {@code passwordVersion} the user directory's when the session opened, or null while the session's
     * user is changing their password in it.
     */
    record Session(String id, UserScope scope, String csrf, Instant createdAt, Instant lastSeen, String passwordVersion) {
        Session touched(Instant now) {
            return new Session(id, scope, csrf, createdAt, now, passwordVersion);
        }
    }

    private record Failures(int count, Instant lockedUntil) {
    }

    /**
     * Failed-login records kept at most: every wrong user name makes one, so without a bound a stream
     * of made-up names fills the heap. Past it, records that do not lock anybody out are dropped first.
     */
    static final int MAX_FAILURE_RECORDS = 10_000;
    /** Longer user names are recorded by their SHA-256: a 1 MiB name must not be kept as a key. */
    private static final int LONGEST_KEPT_NAME = 128;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final int lockoutFailures;
    private final Duration lockout;

    Sessions(Clock clock, Duration idle, int lockoutFailures, Duration lockout) {
        this.clock = clock;
        this.idle = idle;
        this.lockoutFailures = lockoutFailures;
        this.lockout = lockout;
    }

    Session create(UserScope scope, String passwordVersion) {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        Session s = new Session(token(), scope, token(), now, now, passwordVersion);
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session for the cookie value, touched; empty when unknown or idle too long. */
    Optional<Session> find(String id) {
        if (id == null) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = s.touched(now);
        // replaced only if still there: a session ended meanwhile stays ended
        sessions.replace(id, s, touched);
        return Optional.of(touched);
    }

    /** Whether this call removed the session (false when it was gone already). */
    boolean remove(String id) {
        return id != null && sessions.remove(id) != null;
    }

    /** The session as kept now, not touched. */
    Optional<Session> peek(String id) {
        return Optional.ofNullable(sessions.get(id));
    }

    /** The user's live sessions. */
    List<Session> of(String user) {
        return sessions.values().stream().filter(s -> s.scope().user().equals(user)).toList();
    }

    /** Keeps a session with another password version (null: not compared while its user changes it). */
    void restamp(String id, String passwordVersion) {
        sessions.computeIfPresent(id, (k, s) -> new Session(s.id(), s.scope(), s.csrf(), s.createdAt(), s.lastSeen(),
                passwordVersion));
    }

    private boolean expired(Session s, Instant now) {
        return !now.isBefore(s.lastSeen().plus(idle));
    }

    /** When the user name may try again, or empty when it may try now. */
    Optional<Instant> lockedUntil(String user) {
        Failures f = failures.get(key(user));
        if (f == null || f.lockedUntil() == null || !clock.instant().isBefore(f.lockedUntil())) {
            return Optional.empty();
        }
        return Optional.of(f.lockedUntil());
    }

    void failed(String user) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_FAILURE_RECORDS) {
            failures.values().removeIf(f -> f.lockedUntil() == null || !now.isBefore(f.lockedUntil()));
            if (failures.size() >= MAX_FAILURE_RECORDS && !failures.containsKey(key(user))) {
                return; // all records lock someone out: a new name is not recorded until one expires
            }
        }
        failures.compute(key(user), (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            if (count < lockoutFailures) {
                return new Failures(count, null);
            }
            // every failure past the threshold doubles the delay, capped at an hour
            int doublings = Math.min(count - lockoutFailures, 7);
            Duration delay = lockout.multipliedBy(1L << doublings);
            if (delay.compareTo(Duration.ofHours(1)) > 0) {
                delay = Duration.ofHours(1);
            }
            return new Failures(count, now.plus(delay));
        });
    }

    void succeeded(String user) {
        failures.remove(key(user));
    }

    private static String key(String user) {
        if (user == null) {
            return "";
        }
        if (user.length() <= LONGEST_KEPT_NAME) {
            return user;
        }
        try {
            return "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(user.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    /** How many failed-login records are kept (for tests). */
    int failureRecords() {
        return failures.size();
    }

    private String token() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
