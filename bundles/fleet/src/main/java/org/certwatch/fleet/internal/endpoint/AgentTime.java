package org.certwatch.fleet.internal.endpoint;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The agent's clock as it sends it ({@code Instant.toString()}: {@code 2026-12-04T15:20:01.123456Z}),
 * read without the general ISO-8601 parser, which cost about 3 % of the server's time per
 * replication; anything else in ISO-8601 still goes through {@link Instant#parse}.
 */
final class AgentTime {
    private AgentTime() {
    }

    static Instant parse(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && (s.charAt(19) != '.' || n == 21))) {
            return Instant.parse(s);
        }
        int nanos = 0;
        for (int i = 20; i < n - 1; i++) {
            nanos = nanos * 10 + digit(s, i);
        }
        for (int i = n - 1; i < 29 && n > 20; i++) {
            nanos *= 10; // fewer than nine digits of fraction
        }
        try {
            return LocalDateTime.of(digits(s, 0, 4), digits(s, 5, 2), digits(s, 8, 2), digits(s, 11, 2), digits(s, 14, 2),
                    digits(s, 17, 2), nanos).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new DateTimeParseException(e.getMessage(), s, 0, e);
        }
    }

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            v = v * 10 + digit(s, i);
        }
        return v;
    }

    private static int digit(String s, int i) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') {
            throw new DateTimeParseException("not an ISO-8601 instant", s, i);
        }
        return c - '0';
    }
}
