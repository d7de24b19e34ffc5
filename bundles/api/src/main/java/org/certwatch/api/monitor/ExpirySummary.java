package org.certwatch.api.monitor;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.certwatch.api.ExpiryStatus;

/**
 * Counts by status and the next expiry, as the dashboard, the MIB's summary scalars and the metrics
 * show them, for what one user may see. Only what is in use counts: a renewed, superseded or retired
 * certificate keeps its own status but is in no count and never the next expiry.
 *
 * @param evaluatedAt when the monitor last evaluated (the registry clock)
 * @param next the earliest notAfter among unrevoked CAs and certificates in use (may lie in the past), or null
 */
public record ExpirySummary(Instant evaluatedAt, Duration warningWindow, Duration criticalWindow,
        Map<ExpiryStatus, Integer> cas, Map<ExpiryStatus, Integer> certificates,
        Map<ComputerStatus, Integer> computers, NextExpiry next) {
    public ExpirySummary {
        cas = Map.copyOf(cas);
        certificates = Map.copyOf(certificates);
        computers = Map.copyOf(computers);
    }

    /** @param ca true when the next expiry is a CA's */
    public record NextExpiry(boolean ca, long id, Instant notAfter, long daysLeft) {
    }
}
