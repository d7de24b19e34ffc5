package org.certwatch.fleet.internal.storage;

import java.time.Instant;
import org.certwatch.api.fleet.ApiToken;

/** An API token as stored: the SHA-256 of its secret instead of the secret. */
public record ApiTokenRecord(String id, String user, String name, String secretHash, Instant createdAt, Instant expiresAt,
        Instant lastUsedAt) {
    public ApiToken toToken() {
        return new ApiToken(id, user, name, createdAt, expiresAt, lastUsedAt);
    }

    public ApiTokenRecord usedAt(Instant at) {
        return new ApiTokenRecord(id, user, name, secretHash, createdAt, expiresAt, at);
    }
}
