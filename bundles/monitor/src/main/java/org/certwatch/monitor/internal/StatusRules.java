package org.certwatch.monitor.internal;

import java.time.Instant;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.store.Expiry;

/**
 * The status rules of one schedule slot: its {@link ExpiryStatus} at an instant, whether it is
 * critical, and the instant of its next change. Pure functions of the slot and the windows.
 */
final class StatusRules {
    static final long DAY = 86_400L;

    private final Schedule schedule;
    private final RolloverAdvisor advisor;
    final long warning;
    final long critical;

    StatusRules(Schedule schedule, RolloverAdvisor advisor, long warningSeconds, long criticalSeconds) {
        this.schedule = schedule;
        this.advisor = advisor;
        this.warning = warningSeconds;
        this.critical = Math.min(criticalSeconds, warningSeconds);
    }

    /** Days left of a slot's notAfter (epoch seconds) at the exact instant, by the one rule of {@link Expiry}. */
    static long daysLeft(long notAfter, Instant now) {
        return Expiry.daysLeft(now, Instant.ofEpochSecond(notAfter));
    }

    boolean flag(int s, int f) {
        return (schedule.flags[s] & f) != 0;
    }

    /** Renewed, or a later certificate of the same role and host exists. */
    boolean replaced(int s) {
        return flag(s, Schedule.F_RENEWED) || flag(s, Schedule.F_REPLACED);
    }

    ExpiryStatus status(int s, long now) {
        if (flag(s, Schedule.F_REVOKED)) {
            return ExpiryStatus.REVOKED;
        }
        if (now < schedule.notBefore[s]) {
            return ExpiryStatus.NOT_YET_VALID;
        }
        long na = schedule.notAfter[s];
        if (now >= na) {
            return ExpiryStatus.EXPIRED;
        }
        return now >= na - warning ? ExpiryStatus.EXPIRING : ExpiryStatus.VALID;
    }

    boolean critical(int s, ExpiryStatus st, long now) {
        if (st == ExpiryStatus.REVOKED || replaced(s)) {
            return false;
        }
        return st == ExpiryStatus.EXPIRED || now >= schedule.notAfter[s] - critical;
    }

    /** The next instant after {@code now} the slot's status or a notice can change; {@code offsets} descending. */
    long nextDue(int s, long now, long[] offsets) {
        if (flag(s, Schedule.F_REVOKED)) {
            return Schedule.NEVER;
        }
        long best = Schedule.NEVER;
        if (schedule.notBefore[s] > now) {
            best = schedule.notBefore[s];
        }
        long na = schedule.notAfter[s];
        if (flag(s, Schedule.F_CA)) {
            long suggest = advisor.suggestAt(schedule.key[s] >> 1, na);
            if (suggest > now) {
                best = Math.min(best, suggest);
            }
        }
        for (long off : offsets) {
            long t = na - off;
            if (t > now) {
                return Math.min(best, t);
            }
        }
        return best;
    }
}
