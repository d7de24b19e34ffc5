package org.certwatch.fleet.internal.storage;

import java.time.Instant;

/** An enrolment token as stored: only the SHA-256 of its secret, and how often it may still be used. */
public record TokenRecord(String id, String secretHash, String group, Instant expiresAt, int usesLeft) {
    public TokenRecord used() {
        return new TokenRecord(id, secretHash, group, expiresAt, usesLeft - 1);
    }
}
