package org.certwatch.web.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.certwatch.api.fleet.ApiToken;
import org.certwatch.api.fleet.ApiTokens;
import org.certwatch.api.fleet.NewApiToken;
import org.certwatch.api.fleet.User;

/** The fleet's API tokens in memory, for the web's tests (the fleet's own tests cover hashing and storage). */
final class MemoryApiTokens implements ApiTokens {
    private final Clock clock;
    private final Map<String, User> users;
    private final Map<String, ApiToken> tokens = new ConcurrentSkipListMap<>();
    private final Map<String, String> texts = new ConcurrentSkipListMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    MemoryApiTokens(Clock clock, Map<String, User> users) {
        this.clock = clock;
        this.users = users;
    }

    @Override
    public NewApiToken create(String user, String name, Instant expiresAt, String actor) {
        if (name.length() > 64) {
            throw new IllegalArgumentException("a token's name has 1 to 64 characters");
        }
        String id = String.format("%012x", ids.incrementAndGet());
        ApiToken t = new ApiToken(id, user, name, clock.instant(),
                expiresAt == null ? clock.instant().plusSeconds(86_400 * 365) : expiresAt, null);
        tokens.put(id, t);
        String text = "cwapi_" + id + "_secret-of-" + id;
        texts.put(text, id);
        return new NewApiToken(t, text);
    }

    @Override
    public List<ApiToken> tokens() {
        return tokens.values().stream().filter(t -> clock.instant().isBefore(t.expiresAt())).toList();
    }

    @Override
    public Optional<ApiToken> token(String id) {
        return Optional.ofNullable(tokens.get(id)).filter(t -> clock.instant().isBefore(t.expiresAt()));
    }

    @Override
    public void revoke(String id, String actor) {
        if (tokens.remove(id) == null) {
            throw new IllegalArgumentException("there is no API token " + id);
        }
    }

    @Override
    public Optional<User> authenticate(String text) {
        String id = texts.get(text);
        ApiToken t = id == null ? null : token(id).orElse(null);
        if (t == null) {
            return Optional.empty();
        }
        tokens.put(id, new ApiToken(t.id(), t.user(), t.name(), t.createdAt(), t.expiresAt(), clock.instant()));
        return Optional.ofNullable(users.get(t.user())).filter(User::enabled);
    }
}
