package org.certwatch.api.fleet;

import java.time.Instant;

/**
 * A one-time token that lets a new agent get its first certificate; its computer lands in
 * {@code group}. {@code text} (what the agent is given) is only known when the token is created; it
 * also pins the fingerprint of the CA behind the server certificate, so the agent can trust the
 * server on first contact.
 */
public record EnrolmentToken(String id, String group, Instant expiresAt, String text) {
}
