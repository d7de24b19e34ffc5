package org.certwatch.source.tls.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.monitor.ExpiryMonitor;

/**
 * The window in which a chain certificate's coming expiry is a finding: the monitor's warning window when the
 * monitor is there (asked at most once a minute: its summary counts everything), else the configured days.
 */
final class WarningWindow {
    private static final Duration ASK_AGAIN = Duration.ofMinutes(1);

    private final Clock clock;
    private final Supplier<ExpiryMonitor> monitor;
    private final Supplier<Duration> configured;
    private Duration known;
    private Instant askedAt = Instant.MIN;

    WarningWindow(Clock clock, Supplier<ExpiryMonitor> monitor, Supplier<Duration> configured) {
        this.clock = clock;
        this.monitor = monitor;
        this.configured = configured;
    }

    synchronized Duration get() {
        ExpiryMonitor m = monitor.get();
        if (m == null) {
            return configured.get();
        }
        Instant now = clock.instant();
        if (known == null || !now.isBefore(askedAt.plus(ASK_AGAIN)) || now.isBefore(askedAt)) {
            known = m.summary(UserScope.system()).warningWindow();
            askedAt = now;
        }
        return known;
    }
}
