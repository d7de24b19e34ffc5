package org.certwatch.monitor.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;

/**
 * When a CA's rollover is due: once its remaining life is shorter than the lifetime of the longest-lived
 * certificate it issued (a successor issued later could not live as long) or than the warning window,
 * whichever comes first. Keeps the longest lifetime per CA; guarded by the engine's lock.
 */
final class RolloverAdvisor {
    /** The outbox state key under which a notification remembers it suggested a rollover. */
    static final String SUFFIX = "#rollover";

    private final Map<Long, Long> longestLifetime = new HashMap<>();
    private final long warningSeconds;

    RolloverAdvisor(long warningSeconds) {
        this.warningSeconds = warningSeconds;
    }

    /** Notes a certificate; true when it is now the longest-lived one of its CA (the suggestion moves earlier). */
    boolean seen(CertificateInfo c) {
        if (c.caId() == 0 || c.revoked()) {
            return false;
        }
        long lifetime = c.notAfter().getEpochSecond() - c.notBefore().getEpochSecond();
        Long before = longestLifetime.get(c.caId());
        if (before != null && before >= lifetime) {
            return false;
        }
        longestLifetime.put(c.caId(), lifetime);
        return true;
    }

    /** The epoch second from which a rollover of the CA is suggested. */
    long suggestAt(long caId, long notAfterEpochSecond) {
        return notAfterEpochSecond - Math.max(longestLifetime.getOrDefault(caId, 0L), warningSeconds);
    }

    long longestLifetimeDays(long caId) {
        return longestLifetime.getOrDefault(caId, 0L) / 86_400;
    }

    Notice notice(NotificationDefinition d, CaInfo c, long daysLeft, Instant created) {
        String why = longestLifetimeDays(c.id()) * 86_400 > warningSeconds
                ? "its longest-lived certificate lives " + longestLifetimeDays(c.id()) + " days"
                : "the warning window is " + warningSeconds / 86_400 + " days";
        String text = "CA " + c.subject() + " expires in " + daysLeft + " days and " + why + ": start its rollover";
        return new Notice(d.id() + ".ca" + c.id() + ".rollover", NoticeKind.ROLLOVER_SUGGESTED, created, d.name(), c.id(),
                org.certwatch.api.store.OpenSslText.serial(c.serial()), c.subject(), c.subject(), null, "",
                c.fingerprint(), c.notAfter(), daysLeft, -1, c.homeGroup(), text, "/rollover", d.emailRecipients(),
                d.snmp(), 0, 0, "", why);
    }
}
