package org.certwatch.api.fleet;

import java.time.Instant;

/**
 * A user's token for scripts and scrapers ({@code Authorization: Bearer …}); only the SHA-256 of its
 * secret is kept, so the token text is known only once, when it is created.
 *
 * @param lastUsedAt the latest request made with it, null when none was
 */
public record ApiToken(String id, String user, String name, Instant createdAt, Instant expiresAt, Instant lastUsedAt) {
}
