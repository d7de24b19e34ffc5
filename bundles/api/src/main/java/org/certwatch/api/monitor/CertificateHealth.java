package org.certwatch.api.monitor;

import org.certwatch.api.ExpiryStatus;

/**
 * The monitor's view of one CA or certificate now.
 *
 * @param ca true for a CA (then {@code id} is a CA id), false for a peer or monitor-only certificate
 * @param daysLeft whole days until notAfter, rounded down; negative once expired
 * @param critical inside the critical window (or expired) and neither revoked nor replaced
 * @param replaced a successor is in use (a renewal, or same role and host with a later notAfter)
 */
public record CertificateHealth(long id, boolean ca, ExpiryStatus status, long daysLeft, boolean critical,
        boolean replaced) {
}
