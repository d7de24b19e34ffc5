package org.certwatch.api.monitor;

import org.certwatch.api.ExpiryStatus;

/**
 * A computer's status and why.
 *
 * @param certificateId the agent certificate it last authenticated with, 0 if unknown
 * @param certificateStatus null when the certificate is unknown
 * @param daysLeft whole days until that certificate's notAfter, rounded down (negative once expired);
 *     {@link Integer#MAX_VALUE} when unknown
 * @param text what an admin reads: "certificate expires soon", "certificate expired", "OK"
 */
public record ComputerHealth(long computerId, ComputerStatus status, long certificateId,
        ExpiryStatus certificateStatus, long daysLeft, String text) {
}
