package org.certwatch.testclock.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The line protocol of the test clock endpoint. Commands: {@code now}, {@code offset},
 * {@code set <ISO-8601 duration>}, {@code advance <ISO-8601 duration>}, {@code at <ISO-8601 instant>}.
 * Every answer is one line: {@code ok <now> <offset>} or {@code error <what is wrong>}.
 */
final class ClockControl {
    private final OffsetClock clock;
    private final Runnable onChange;

    ClockControl(OffsetClock clock, Runnable onChange) {
        this.clock = clock;
        this.onChange = onChange;
    }

    String handle(String line) {
        String[] words = line.trim().split("\\s+", 2);
        String argument = words.length > 1 ? words[1].trim() : "";
        try {
            switch (words[0]) {
                case "now", "offset" -> {
                    return status();
                }
                case "set" -> clock.setOffset(Duration.parse(argument));
                case "advance" -> clock.setOffset(clock.offset().plus(Duration.parse(argument)));
                case "at" -> clock.setOffset(clock.offset().plus(Duration.between(clock.instant(), Instant.parse(argument))));
                default -> {
                    return "error unknown command '" + words[0] + "' (now, offset, set, advance, at)";
                }
            }
        } catch (DateTimeParseException e) {
            return "error cannot parse '" + argument + "': " + e.getMessage();
        }
        onChange.run();
        return status();
    }

    private String status() {
        return "ok " + clock.instant() + " " + clock.offset();
    }
}
