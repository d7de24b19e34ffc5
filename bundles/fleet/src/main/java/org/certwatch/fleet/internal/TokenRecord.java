package org.certwatch.fleet.internal;

import java.time.Instant;

/** An enrolment token as stored: only the SHA-256 of its secret, and how often it may still be used. */
record TokenRecord(String id, String secretHash, String group, Instant expiresAt, int usesLeft) {
    TokenRecord used() {
        return new TokenRecord(id, secretHash, group, expiresAt, usesLeft - 1);
    }
}
