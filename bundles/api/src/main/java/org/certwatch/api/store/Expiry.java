package org.certwatch.api.store;

import java.time.Duration;
import java.time.Instant;
import org.certwatch.api.ExpiryStatus;

/** The expiry rules shared by CAs and certificates: status and days left, the same for every figure. */
public final class Expiry {
    private Expiry() {
    }

    private static final long DAY_SECONDS = 86_400L;

    /**
     * Days left: floor((notAfter - now) / 24 h), negative once expired. Exact to the nanosecond, so a
     * certificate issued for 10 days shows 9 a moment after issue, wherever it is read (page, API, mail,
     * trap, MIB, metrics).
     */
    public static long daysLeft(Instant now, Instant notAfter) {
        return Math.floorDiv(secondsLeft(now, notAfter), DAY_SECONDS);
    }

    /** Whole seconds until notAfter, rounded down (negative once expired); {@link #daysLeft} is this over 86,400. */
    public static long secondsLeft(Instant now, Instant notAfter) {
        return Duration.between(now, notAfter).getSeconds();
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
