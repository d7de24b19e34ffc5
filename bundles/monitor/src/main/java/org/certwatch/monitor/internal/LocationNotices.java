package org.certwatch.monitor.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongFunction;
import org.certwatch.api.fleet.GroupPaths;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.source.Location;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.Expiry;
import org.certwatch.api.store.OpenSslText;

/**
 * The notices of the {@link NotificationScope#LOCATIONS} notifications: one when a location is announced as
 * failing, one when it recovers, one when a finding appears at it or clears. Per notification and location the outbox keeps a spell counter (2k-1: told
 * about failing spell k, 2k: told it recovered), so a repeated announcement of the same spell adds nothing and
 * each spell's notices keep one id across redeliveries and restarts.
 */
final class LocationNotices {
    /** Appended to the notification id for its location state, apart from its certificates' state. */
    static final String SUFFIX = "#location";
    /** Appended to the notification id for the count of findings changes told per location. */
    static final String FINDINGS_SUFFIX = "#findings";

    private final Outbox outbox;
    private final Clock clock;
    private final LongFunction<Optional<CertificateInfo>> certificates;

    LocationNotices(Outbox outbox, Clock clock, LongFunction<Optional<CertificateInfo>> certificates) {
        this.outbox = outbox;
        this.clock = clock;
        this.certificates = certificates;
    }

    /** The location reached the failure count; {@code reason} as announced. */
    void failing(List<NotificationDefinition> definitions, Location location, String reason) {
        announce(definitions, location, true, reason);
    }

    void recovered(List<NotificationDefinition> definitions, Location location) {
        announce(definitions, location, false, "");
    }

    /**
     * A finding appeared or cleared; {@code texts} the findings as announced (empty: none any more). Each change
     * is told once, with an id numbered per location, so a redelivery after a crash keeps its id.
     */
    void findings(List<NotificationDefinition> definitions, Location location, List<String> texts) {
        List<Outbox.StateRecord> states = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        for (NotificationDefinition d : definitions) {
            if (!covers(d, location)) {
                continue;
            }
            String key = d.id() + FINDINGS_SUFFIX;
            Integer told = outbox.notified(key, location.id());
            int next = (told == null ? 0 : told) + 1;
            states.add(new Outbox.StateRecord(key, location.id(), next));
            Notice n = findingsNotice(d, location, texts, next);
            if (!Outbox.channelsFor(n).isEmpty()) {
                notices.add(n);
            }
        }
        outbox.commit(states, notices);
    }

    private void announce(List<NotificationDefinition> definitions, Location location, boolean failing,
            String reason) {
        List<Outbox.StateRecord> states = new ArrayList<>();
        List<Notice> notices = new ArrayList<>();
        for (NotificationDefinition d : definitions) {
            if (!covers(d, location)) {
                continue;
            }
            String key = d.id() + SUFFIX;
            Integer told = outbox.notified(key, location.id());
            int spellState = told == null ? 0 : told;
            if (failing == (spellState % 2 == 1)) {
                continue; // this spell was told already, or a recovery nobody was told the failure of
            }
            int next = spellState + 1;
            states.add(new Outbox.StateRecord(key, location.id(), next));
            Notice n = notice(d, location, failing, reason, (next + 1) / 2);
            if (!Outbox.channelsFor(n).isEmpty()) {
                notices.add(n);
            }
        }
        outbox.commit(states, notices);
    }

    private static boolean covers(NotificationDefinition d, Location location) {
        return d.enabled() && d.scope() == NotificationScope.LOCATIONS
                && GroupPaths.contains(d.ownerGroup(), location.ref().homeGroup());
    }

    private Notice findingsNotice(NotificationDefinition d, Location l, List<String> texts, int change) {
        String where = l.ref().address() + " (" + l.ref().source() + ")";
        String findings = String.join("; ", texts);
        String text = texts.isEmpty() ? "location " + where + " has no findings any more"
                : "location " + where + ": " + findings;
        return notice(d, l, NoticeKind.LOCATION_FINDINGS, d.id() + ".loc" + l.id() + ".findings" + change, text,
                findings);
    }

    private Notice notice(NotificationDefinition d, Location l, boolean failing, String reason, int spell) {
        String id = d.id() + ".loc" + l.id() + (failing ? ".failing" : ".recovered") + spell;
        String where = l.ref().address() + " (" + l.ref().source() + ")";
        String text = failing ? "location " + where + " cannot be read: " + reason
                : "location " + where + " can be read again";
        return notice(d, l, failing ? NoticeKind.LOCATION_FAILING : NoticeKind.LOCATION_RECOVERED, id, text, reason);
    }

    private Notice notice(NotificationDefinition d, Location l, NoticeKind kind, String id, String text,
            String reason) {
        Instant now = clock.instant();
        CertificateInfo c = l.certificateId() == 0 ? null : certificates.apply(l.certificateId()).orElse(null);
        long daysLeft = c == null ? 0 : Expiry.daysLeft(now, c.notAfter());
        return new Notice(id, kind, now, d.name(),
                l.id(), c == null ? "" : OpenSslText.serial(c.serial()), c == null ? "" : c.subject(),
                c == null ? "" : c.issuer(), c == null ? null : c.role(), l.ref().address(),
                c == null ? "" : c.fingerprint(), c == null ? null : c.notAfter(), daysLeft, -1, l.ref().homeGroup(),
                text, "/locations/" + l.id(), d.emailRecipients(), d.snmp(), 0, 0, "", reason);
    }
}
