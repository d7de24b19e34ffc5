package org.certwatch.source.files.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;

/**
 * The configuration, checked once: the limits that keep a hostile file or glob within bounded time and memory.
 */
record Bounds(Duration rescanInterval, Duration debounce, int maxFileBytes, int maxAliases, int maxCertificates,
        int maxFilesPerWatch) {
    static final Bounds DEFAULT = new Bounds(Duration.ofMinutes(5), Duration.ofMillis(300), 4 * 1024 * 1024, 1000,
            1000, 250_000);

    static Bounds of(FilesConfiguration config) {
        Duration rescan;
        try {
            rescan = Duration.parse(config.rescan_interval());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("rescan.interval '" + config.rescan_interval()
                    + "' is not an ISO-8601 duration such as PT5M");
        }
        if (rescan.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("rescan.interval " + rescan + " is shorter than PT1S");
        }
        return new Bounds(rescan, Duration.ofMillis(config.debounce_ms()), config.max_file_bytes(),
                config.max_aliases(), config.max_certificates(), config.max_files_per_watch());
    }
}
