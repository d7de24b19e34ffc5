package org.certwatch.monitor.internal;

import java.util.function.IntConsumer;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;

/**
 * "Replaced": a later certificate of the same role and host supersedes the earlier one, which then
 * stops being critical and notified. Keeps the best (latest notAfter) slot per role and host.
 */
final class ReplacementTracker {
    private final Schedule schedule;
    private final LongIntMap hostBest = new LongIntMap(1024);

    ReplacementTracker(Schedule schedule) {
        this.schedule = schedule;
    }

    /** A 64-bit hash of role and host: "same role and host" without keeping the strings. */
    private static long hostKey(CertificateInfo c) {
        return hostKey(c.role(), c.host());
    }

    private static long hostKey(Role role, String host) {
        if (host == null || host.isEmpty()) {
            return 0;
        }
        long h = 0xcbf29ce484222325L ^ role.ordinal();
        for (int i = 0; i < host.length(); i++) {
            h = (h ^ Character.toLowerCase(host.charAt(i))) * 0x100000001b3L;
        }
        return h == Long.MIN_VALUE || h == 0 ? 1 : h;
    }

    /** On load, in any order: marks every certificate but the best of its role and host. */
    void loaded(CertificateInfo c) {
        long hk = hostKey(c);
        if (hk == 0 || c.revoked()) {
            return;
        }
        int s = schedule.slot(Schedule.key(c.id(), false));
        int best = hostBest.get(hk);
        if (best < 0) {
            hostBest.put(hk, s);
        } else if (schedule.notAfter[s] > schedule.notAfter[best]) {
            schedule.flags[best] |= Schedule.F_REPLACED;
            hostBest.put(hk, s);
        } else if (best != s) {
            schedule.flags[s] |= Schedule.F_REPLACED;
        }
    }

    /** A changed certificate; revoking the best frees the key; {@code refresh} re-evaluates a newly replaced slot. */
    void changed(CertificateInfo c, int s, IntConsumer refresh) {
        long hk = hostKey(c);
        if (hk == 0) {
            return;
        }
        int best = hostBest.get(hk);
        if (c.revoked()) {
            if (best == s) {
                hostBest.remove(hk);
            }
            return;
        }
        if (best < 0 || best == s) {
            hostBest.put(hk, s);
        } else if (schedule.notAfter[s] > schedule.notAfter[best]) {
            hostBest.put(hk, s);
            schedule.flags[best] |= Schedule.F_REPLACED;
            refresh.accept(best);
        } else {
            schedule.flags[s] |= Schedule.F_REPLACED;
        }
    }

    /** A deleted certificate's slot {@code s} is about to be freed: it must not stay the best of its role and host. */
    void removed(Role role, String host, int s) {
        long hk = hostKey(role, host);
        if (hk != 0 && hostBest.get(hk) == s) {
            hostBest.remove(hk);
        }
    }
}
