package org.certwatch.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HTTP Basic credentials that passed the user directory's check a short while ago. A script sends
 * its credentials with every request; without this, each request pays the slow password hash
 * (PBKDF2, 210,000 rounds: about a tenth of a second of CPU) and a script paging through a large
 * list is held to a few requests a second per core.
 *
 * <p>Entries are found by an HMAC-SHA-256 of name and password under a random key made when the
 * bundle starts: the password itself is never kept, and only a pair that was just verified is
 * ever stored, so wrong guesses cannot fill it. An entry lasts {@code ttl} from its verification
 * (at most twice that while it is being checked again), which bounds how long an old password keeps
 * working after a change; whether the user still
 * exists and is enabled, and with which permissions, is asked of the directory on every request.
 */
final class VerifiedCredentials {
    /** Entries kept at most; beyond, all are dropped and the next requests verify again. */
    static final int MAX_ENTRIES = 1_000;

    private record Verified(String user, Instant at, boolean rechecking) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final SecretKeySpec key;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    VerifiedCredentials(Clock clock, Duration ttl) {
        this.clock = clock;
        this.ttl = ttl;
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    /**
     * Whether this name and password may skip the password check now: they were verified less than
     * {@code ttl} ago, or up to twice that long ago while another request is checking them again.
     * When their time is up, the first request checks again (false) and the others go on meanwhile,
     * so a script's requests do not all stall for the slow hash at once; that request reports back
     * with {@link #verified} or {@link #forget}.
     */
    boolean skipCheck(String user, String password) {
        if (ttl.isZero()) {
            return false;
        }
        String id = id(user, password);
        Verified v = verified.get(id);
        if (v == null || !v.user().equals(user)) {
            return false;
        }
        Instant now = clock.instant();
        if (!now.isBefore(v.at()) && now.isBefore(v.at().plus(ttl))) {
            return true;
        }
        if (!now.isBefore(v.at()) && now.isBefore(v.at().plus(ttl.multipliedBy(2)))) {
            return v.rechecking() || !verified.replace(id, v, new Verified(v.user(), v.at(), true));
        }
        // too old, or the clock went back: check again
        verified.remove(id, v);
        return false;
    }

    /** The directory has just accepted this name and password. */
    void verified(String user, String password) {
        if (ttl.isZero()) {
            return;
        }
        if (verified.size() >= MAX_ENTRIES) {
            verified.clear();
        }
        verified.put(id(user, password), new Verified(user, clock.instant(), false));
    }

    /** Forgets every verification of this user name (a failed login, a disabled user). */
    void forget(String user) {
        verified.values().removeIf(v -> v.user().equals(user));
    }

    private String id(String user, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // as on the wire: the name cannot hold a colon, so the pair is unambiguous
            return HexFormat.of().formatHex(mac.doFinal((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    /** Entries kept (for tests). */
    int size() {
        return verified.size();
    }
}
