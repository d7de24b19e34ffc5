package org.certwatch.web.internal;

import org.certwatch.testing.SettableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerifiedCredentialsTest {
    private static final Duration TTL = Duration.ofSeconds(60);
    private final SettableClock clock = new SettableClock(TestWeb.START);
    private final VerifiedCredentials credentials = new VerifiedCredentials(clock, TTL);

    @Test
    void onlyAVerifiedPairSkipsTheCheckAndOnlyUntilItsTimeIsUp() {
        assertFalse(credentials.skipCheck("alice", "secret"));
        credentials.verified("alice", "secret");
        assertTrue(credentials.skipCheck("alice", "secret"));
        assertFalse(credentials.skipCheck("alice", "Secret"), "another password");
        assertFalse(credentials.skipCheck("alicf", "secret"), "another name");
        clock.advance(TTL.minusSeconds(1));
        assertTrue(credentials.skipCheck("alice", "secret"));
        // time is up: the first request checks again, the others go on while it does
        clock.advance(Duration.ofSeconds(1));
        assertFalse(credentials.skipCheck("alice", "secret"));
        assertTrue(credentials.skipCheck("alice", "secret"));
        assertTrue(credentials.skipCheck("alice", "secret"));
        // that check failed (a changed password): nobody skips it any more
        credentials.forget("alice");
        assertFalse(credentials.skipCheck("alice", "secret"));
        assertEquals(0, credentials.size());
    }

    @Test
    void aRecheckThatNeverReportsBackEndsAtTwiceTheTimeToLive() {
        credentials.verified("alice", "secret");
        clock.advance(TTL);
        assertFalse(credentials.skipCheck("alice", "secret"));
        clock.advance(TTL.minusSeconds(1));
        assertTrue(credentials.skipCheck("alice", "secret"));
        clock.advance(Duration.ofSeconds(1));
        assertFalse(credentials.skipCheck("alice", "secret"));
        assertFalse(credentials.skipCheck("alice", "secret"));
    }

    @Test
    void aZeroTimeToLiveChecksEveryRequest() {
        VerifiedCredentials none = new VerifiedCredentials(clock, Duration.ZERO);
        none.verified("alice", "secret");
        assertFalse(none.skipCheck("alice", "secret"));
        assertEquals(0, none.size());
    }
}
