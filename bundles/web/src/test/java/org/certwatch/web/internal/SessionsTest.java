package org.certwatch.web.internal;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Found while fuzzing the login form: every failed login with a new user name kept a record keyed by
 * that name, forever, so made-up (and 1 MiB long) names filled the heap.
 */
class SessionsTest {
    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final Sessions sessions = new Sessions(clock, Duration.ofMinutes(30), 3, Duration.ofSeconds(30));

    @Test
    void failedLoginsWithEverNewNamesKeepABoundedNumberOfRecords() {
        for (int i = 0; i < 3; i++) {
            sessions.failed("alice");
        }
        assertTrue(sessions.lockedUntil("alice").isPresent());
        for (int i = 0; i < 3 * Sessions.MAX_FAILURE_RECORDS; i++) {
            sessions.failed("made-up-" + i);
        }
        assertTrue(sessions.failureRecords() <= Sessions.MAX_FAILURE_RECORDS, "records: " + sessions.failureRecords());
        assertTrue(sessions.lockedUntil("alice").isPresent(), "a lockout in force is kept");
        clock.advance(Duration.ofMinutes(1));
        sessions.failed("someone-new");
        assertTrue(sessions.failureRecords() <= Sessions.MAX_FAILURE_RECORDS);
    }

    @Test
    void aLongUserNameIsRecordedByItsHashAndStillLockedOut() {
        String huge = "x".repeat(1 << 20);
        for (int i = 0; i < 3; i++) {
            sessions.failed(huge);
        }
        assertTrue(sessions.lockedUntil(huge).isPresent());
        assertTrue(sessions.lockedUntil(huge.substring(1)).isEmpty(), "another name is not locked");
        assertEquals(1, sessions.failureRecords());
    }
}
