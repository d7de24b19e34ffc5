package org.certwatch.fleet.internal.directory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.fleet.ApiToken;
import org.certwatch.api.fleet.ApiTokens;
import org.certwatch.api.fleet.NewApiToken;
import org.certwatch.api.fleet.User;
import org.certwatch.fleet.internal.state.FleetState;
import org.certwatch.fleet.internal.storage.ApiTokenRecord;
import org.certwatch.fleet.internal.storage.UserRecord;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * API tokens. The text is {@code cwapi_<id>_<secret>} (unlike an enrolment token's {@code cwt1.…}): the id finds the record, the secret (256 random
 * bits) is compared as its SHA-256 in constant time. A fast hash is enough for a random secret of that
 * length; a slow one would cost every scrape a tenth of a second. The last use is kept in memory and
 * written at most every {@link #WRITE_USE_EVERY} per token (and when the component stops), so a
 * scraper's requests cost no disk write each.
 */
@Component(service = {ApiTokens.class, ApiTokenBook.class})
public final class ApiTokenBook implements ApiTokens {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final Duration WRITE_USE_EVERY = Duration.ofMinutes(10);
    static final Duration DEFAULT_LIFETIME = Duration.ofDays(365);
    static final int MAX_PER_USER = 100;
    private static final Pattern TEXT = Pattern.compile("cwapi_([0-9a-f]{12})_([A-Za-z0-9_-]{43})");

    private final FleetState state;
    private final SecureRandom random = new SecureRandom();
    /** The last use as written to disk, per token id; guarded by the fleet lock. */
    private final Map<String, Instant> writtenUse = new HashMap<>();
    /** Whether a use is only in memory; guarded by the fleet lock. */
    private boolean unwrittenUse;

    @Activate
    public ApiTokenBook(@Reference(name = "state") FleetState state) {
        this.state = state;
    }

    @Override
    public NewApiToken create(String user, String name, Instant expiresAt, String actor) {
        return state.change(actor, "api-token.create", "user:" + user, () -> {
            if (!state.users.containsKey(user)) {
                throw new IllegalArgumentException("there is no user " + user);
            }
            if (name == null || name.isBlank() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("a token's name has 1 to 64 characters, no control characters");
            }
            Instant now = state.clock().instant();
            Instant expires = expiresAt == null ? now.plus(DEFAULT_LIFETIME) : expiresAt;
            if (!expires.isAfter(now)) {
                throw new IllegalArgumentException("the expiry " + expires + " has passed already");
            }
            state.apiTokens.values().removeIf(t -> !now.isBefore(t.expiresAt()));
            if (state.apiTokens.values().stream().filter(t -> t.user().equals(user)).count() >= MAX_PER_USER) {
                throw new IllegalArgumentException("user " + user + " has " + MAX_PER_USER + " tokens already: revoke one first");
            }
            String id;
            do {
                byte[] idBytes = new byte[6];
                random.nextBytes(idBytes);
                id = HexFormat.of().formatHex(idBytes);
            } while (state.apiTokens.containsKey(id));
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
            ApiTokenRecord record = new ApiTokenRecord(id, user, name.strip(), sha256(secretText), now, expires, null);
            state.apiTokens.put(id, record);
            state.save();
            return new NewApiToken(record.toToken(), "cwapi_" + id + "_" + secretText);
        });
    }

    @Override
    public List<ApiToken> tokens() {
        try (FleetState.Held held = state.exclusive()) {
            Instant now = state.clock().instant();
            return state.apiTokens.values().stream().filter(t -> now.isBefore(t.expiresAt()))
                    .map(ApiTokenRecord::toToken)
                    .sorted(Comparator.comparing(ApiToken::createdAt).thenComparing(ApiToken::id)).toList();
        }
    }

    @Override
    public Optional<ApiToken> token(String id) {
        try (FleetState.Held held = state.exclusive()) {
            Instant now = state.clock().instant();
            return Optional.ofNullable(state.apiTokens.get(id)).filter(t -> now.isBefore(t.expiresAt()))
                    .map(ApiTokenRecord::toToken);
        }
    }

    @Override
    public void revoke(String id, String actor) {
        state.change(actor, "api-token.revoke", "api-token:" + id, () -> {
            if (state.apiTokens.remove(id) == null) {
                throw new IllegalArgumentException("there is no API token " + id);
            }
            writtenUse.remove(id);
            state.save();
            return id;
        });
    }

    @Override
    public Optional<User> authenticate(String text) {
        Matcher m = text == null ? null : TEXT.matcher(text);
        if (m == null || !m.matches()) {
            return Optional.empty();
        }
        FleetState.DirectorySnapshot snapshot = null;
        User user;
        try (FleetState.Held held = state.exclusive()) {
            ApiTokenRecord record = state.apiTokens.get(m.group(1));
            Instant now = state.clock().instant();
            if (record == null || !MessageDigest.isEqual(record.secretHash().getBytes(StandardCharsets.US_ASCII),
                    sha256(m.group(2)).getBytes(StandardCharsets.US_ASCII)) || !now.isBefore(record.expiresAt())) {
                return Optional.empty();
            }
            UserRecord owner = state.users.get(record.user());
            if (owner == null || !owner.enabled()) {
                return Optional.empty();
            }
            user = owner.toUser();
            Instant written = writtenUse.containsKey(record.id()) ? writtenUse.get(record.id()) : record.lastUsedAt();
            state.apiTokens.put(record.id(), record.usedAt(now));
            if (written == null || Duration.between(written, now).abs().compareTo(WRITE_USE_EVERY) >= 0) {
                writtenUse.put(record.id(), now);
                snapshot = state.snapshotDirectory();
            } else {
                unwrittenUse = true;
            }
        }
        if (snapshot != null) {
            // outside the fleet lock, as an enrolment's write: concurrent requests share one write; across
            // servers under their lock, so that it never makes another server's admin change find the directory moved
            FleetState.DirectorySnapshot written = snapshot;
            try {
                state.acrossServers(() -> {
                    state.persistDirectory(written);
                    return null;
                });
            } catch (RuntimeException e) {
                // the request is authenticated all the same; the use is written with the next change or at stop
                LOG.warning("API token " + m.group(1) + ": its last use was not written: " + e.getMessage());
                try (FleetState.Held held = state.exclusive()) {
                    unwrittenUse = true;
                }
            }
        }
        return Optional.of(user);
    }

    /** The uses kept only in memory reach the disk. */
    @Deactivate
    public void writeUses() {
        state.locked(() -> {
            if (unwrittenUse) {
                state.saveDirectory();
                unwrittenUse = false;
            }
            return null;
        });
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
