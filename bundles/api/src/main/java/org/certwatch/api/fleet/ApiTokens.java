package org.certwatch.api.fleet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens: made for one user, who acts with the user's current home group and permissions; gone
 * when revoked, when they expire or with their user. Changes are durable when they return and audited;
 * refusals throw {@link IllegalArgumentException} with the reason.
 */
public interface ApiTokens {
    NewApiToken create(String user, String name, Instant expiresAt, String actor);

    /** Every token that has not expired, oldest first. */
    List<ApiToken> tokens();

    Optional<ApiToken> token(String id);

    void revoke(String id, String actor);

    /**
     * The enabled user a token's text belongs to while it is valid; empty for anything else (no hint
     * why). Records the use, written to disk coalesced, not once per request.
     */
    Optional<User> authenticate(String text);
}
