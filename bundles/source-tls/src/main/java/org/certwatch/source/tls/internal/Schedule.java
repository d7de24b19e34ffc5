package org.certwatch.source.tls.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/** The scheduling settings, from the configuration; a bad value is refused with the setting's name. */
record Schedule(Duration defaultInterval, Duration minimumInterval, double jitter, int concurrency, int perHostLimit) {

    static Schedule of(TlsProbeConfiguration c) {
        Duration minimum = duration("minimum.interval", c.minimum_interval());
        if (minimum.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("minimum.interval " + minimum + " is below PT1S");
        }
        Duration interval = duration("default.interval", c.default_interval());
        if (interval.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("default.interval " + interval + " is below minimum.interval " + minimum);
        }
        double jitter;
        try {
            jitter = Double.parseDouble(c.jitter().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("jitter '" + c.jitter() + "' is not a number");
        }
        if (!(jitter >= 0 && jitter <= 0.5)) {
            throw new IllegalArgumentException("jitter " + jitter + " is not between 0 and 0.5");
        }
        return new Schedule(interval, minimum, jitter, c.concurrency(), c.per_host_limit());
    }

    private static Duration duration(String name, String text) {
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not an ISO-8601 duration");
        }
    }
}
