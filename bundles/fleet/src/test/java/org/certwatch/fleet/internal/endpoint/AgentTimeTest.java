package org.certwatch.fleet.internal.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;

class AgentTimeTest {
    @Test
    void readsWhatInstantToStringWritesAsInstantParseDoes() {
        for (String s : new String[] {"2026-12-04T15:20:01Z", "2026-12-04T15:20:01.1Z", "2026-12-04T15:20:01.123Z",
                "2026-12-04T15:20:01.123456Z", "2026-12-04T15:20:01.123456789Z", "1999-01-31T00:00:00.000000001Z",
                "2026-12-04T15:20:01+01:00", "2028-02-29T23:59:59.5Z", "2026-12-04T15:20:01.Z"}) {
            assertEquals(Instant.parse(s), AgentTime.parse(s), s);
        }
        Instant now = Instant.now();
        assertEquals(now, AgentTime.parse(now.toString()));
    }

    @Test
    void refusesWhatInstantParseRefuses() {
        for (String s : new String[] {"2026-13-04T15:20:01Z", "2026-02-30T15:20:01Z", "2026-12-04T15:2x:01Z",
                "2026-12-04T25:20:01Z", "yesterday", "2026-12-04T15:20:01.1234567890Z"}) {
            assertThrows(DateTimeParseException.class, () -> AgentTime.parse(s), s);
        }
    }
}
