package org.certwatch.api.fleet;

import java.time.Instant;

/** An enrolment token as listed: never its text, which only its creation shows. */
public record EnrolmentTokenState(String id, String group, Instant expiresAt, int usesLeft) {
}
