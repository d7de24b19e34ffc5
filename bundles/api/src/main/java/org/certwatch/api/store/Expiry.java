package org.certwatch.api.store;

import java.time.Duration;
import java.time.Instant;
import org.certwatch.api.ExpiryStatus;

/** The expiry status rule shared by CAs and certificates. */
public final class Expiry {
    private Expiry() {
    }

    /**
     * @param warning the window before notAfter in which a certificate counts as EXPIRING
     */
    public static ExpiryStatus status(Instant now, Duration warning, Instant notBefore, Instant notAfter,
            boolean revoked) {
        if (revoked) {
            return ExpiryStatus.REVOKED;
        }
        if (now.isBefore(notBefore)) {
            return ExpiryStatus.NOT_YET_VALID;
        }
        if (!now.isBefore(notAfter)) {
            return ExpiryStatus.EXPIRED;
        }
        if (!now.isBefore(notAfter.minus(warning))) {
            return ExpiryStatus.EXPIRING;
        }
        return ExpiryStatus.VALID;
    }
}
