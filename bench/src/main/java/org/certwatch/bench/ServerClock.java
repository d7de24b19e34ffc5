package org.certwatch.bench;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The server's test-clock time on the soak's side: the simulated agents send their clock with every
 * replication and the server refuses one off by more than {@code max.clock.skew.seconds}, so they
 * follow the offset the soak gives the server's clock.
 */
final class ServerClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void offset(Duration value) {
        offset = value;
    }

    Duration offset() {
        return offset;
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }
}
