package org.certwatch.mail.internal;

import org.certwatch.commons.text.HtmlText;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.store.OpenSslText;

/**
 * The subject, plain-text and HTML bodies of a notice mail. {@code usedAt} names where a monitored certificate is
 * used now (its watched locations, e.g. "/etc/ssl/site.pem (files)"); empty when not known.
 */
final class MailText {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private MailText() {
    }

    static String subject(Notice n) {
        if (n.kind() == NoticeKind.TEST) {
            // "test" up front, so nobody (and no mail filter) takes it for an alarm
            return "[certwatch] test: notification \"" + n.notification() + "\" reaches you; no certificate is affected";
        }
        return "[certwatch] " + n.text();
    }

    private static String[][] facts(Notice n) {
        if (n.kind() == NoticeKind.TEST) {
            return new String[][] {{"Notification", n.notification()}, {"Notice id", n.id()}};
        }
        if (n.kind() == NoticeKind.LOCATION_FINDINGS) {
            boolean certificate = n.notAfter() != null;
            return new String[][] {{"Location", n.host()}, {"Group", n.group()},
                {"Findings", n.reason().isEmpty() ? "none any more" : n.reason()},
                {"Certificate", certificate ? n.subject() : ""},
                {"Not after", certificate ? WHEN.format(n.notAfter()) : ""},
                {"Days left", certificate ? Long.toString(n.daysLeft()) : ""}, {"Notification", n.notification()},
                {"Notice id", n.id()}};
        }
        if (n.kind() == NoticeKind.LOCATION_FAILING || n.kind() == NoticeKind.LOCATION_RECOVERED) {
            boolean certificate = n.notAfter() != null;
            return new String[][] {{"Location", n.host()}, {"Group", n.group()}, {"Reason", n.reason()},
                {"Certificate", certificate ? n.subject() : "none read yet"},
                {"Not after", certificate ? WHEN.format(n.notAfter()) : ""},
                {"Days left", certificate ? Long.toString(n.daysLeft()) : ""}, {"Notification", n.notification()},
                {"Notice id", n.id()}};
        }
        if (n.kind() == NoticeKind.COMPUTER_STATUS_CHANGED) {
            return new String[][] {{"Computer", n.subject()}, {"Group", n.group()}, {"Status", n.reason()},
                {"Days left", Long.toString(n.daysLeft())}, {"Notification", n.notification()},
                {"Notice id", n.id()}};
        }
        return new String[][] {{"Subject", n.subject()}, {"Role", n.role() == null ? "CA" : n.role().name()},
            {"Host", n.host()}, {"CA", n.issuer()}, {"Serial", OpenSslText.serial(n.serial())},
            {"SHA-256 fingerprint", OpenSslText.fingerprint(n.fingerprint())},
            {"Not after", n.notAfter() == null ? "" : WHEN.format(n.notAfter())},
            {"Days left", Long.toString(n.daysLeft())}, {"Group", n.group()}, {"Notification", n.notification()},
            {"Notice id", n.id()}};
    }

    static String nextStep(Notice n, List<String> usedAt) {
        if (n.role() == Role.MONITORED
                && (n.kind() == NoticeKind.CERTIFICATE_EXPIRING || n.kind() == NoticeKind.CERTIFICATE_EXPIRED)) {
            return monitoredNextStep(n, usedAt);
        }
        return switch (n.kind()) {
            case CERTIFICATE_EXPIRING, COMPUTER_STATUS_CHANGED -> "Renew the certificate (or issue a successor for the"
                    + " same role and host), apply it with a policy, and once the agents have replicated revoke the"
                    + " old one.";
            case CERTIFICATE_EXPIRED -> "The certificate has expired: issue a replacement now and apply it; clients"
                    + " using it can no longer authenticate.";
            case CA_EXPIRING -> "Start a CA rollover: create a new CA, issue new peer certificates within its validity,"
                    + " apply them, switch the server certificate, then revoke the old certificates and delete the old CA.";
            case CA_EXPIRED -> "The CA has expired: certificates it issued are no longer trusted. Complete the rollover"
                    + " to a new CA now.";
            case ROLLOVER_SUGGESTED -> "Start the CA rollover now (web page /rollover or Gogo certwatch:rollover-start):"
                    + " from here on a certificate the old CA issues could not live as long as the longest-lived one it"
                    + " issued so far.";
            case TEST -> "Nothing: this is a test of the notification's distribution.";
            case LOCATION_FAILING -> "Check the location: " + n.reason() + ". Until it can be read again certwatch keeps"
                    + " the certificate it last read there, and that one's expiry still counts. If the file or"
                    + " endpoint was moved or removed on purpose, stop watching it on the locations page.";
            case LOCATION_RECOVERED -> "Nothing: the location can be read again.";
            case LOCATION_FINDINGS -> n.reason().isEmpty() ? "Nothing: what was wrong at the location is fixed."
                    : "Fix what the findings name where the certificate is used (install the missing intermediate,"
                    + " a certificate naming the host, a stronger key or signature, switch off old TLS versions), or"
                    + " have its issuer renew it. The location page shows the chain as presented.";
            default -> "See the server for details.";
        };
    }

    /** A certificate certwatch did not issue: renewed by whoever issued it, replaced where it is used. */
    private static String monitoredNextStep(Notice n, List<String> usedAt) {
        String where = usedAt.isEmpty() ? "everywhere it is used (certwatch knows no watched location holding it)"
                : "where it is used: " + String.join(", ", usedAt);
        String renew = n.kind() == NoticeKind.CERTIFICATE_EXPIRED
                ? "The certificate has expired: clients reject it now. Get a new one from its issuer (" + n.issuer()
                        + ") at once and replace it "
                : "Renew the certificate at its issuer (" + n.issuer() + ") and replace it ";
        return renew + where + ". A watched location picks up the new certificate by itself and the old one stops"
                + " alarming; an uploaded one names the certificate it replaces.";
    }

    static String link(Notice n, String base) {
        if (n.link() == null || n.link().isEmpty()) {
            return "";
        }
        String b = base == null ? "" : base.replaceAll("/+$", "");
        return b + n.link();
    }

    static String plain(Notice n, String base, List<String> usedAt) {
        StringBuilder b = new StringBuilder();
        b.append(n.text()).append("\n\n");
        for (String[] f : facts(n)) {
            b.append(String.format("%-20s %s%n", f[0] + ":", f[1]));
        }
        b.append("\nWhat to do next: ").append(nextStep(n, usedAt)).append('\n');
        String link = link(n, base);
        if (!link.isEmpty()) {
            b.append("\n").append(link).append('\n');
        }
        return b.toString();
    }

    static String html(Notice n, String base, List<String> usedAt) {
        StringBuilder b = new StringBuilder();
        b.append("<!DOCTYPE html><html><body><p><strong>").append(esc(n.text())).append("</strong></p><table>");
        for (String[] f : facts(n)) {
            b.append("<tr><th align=\"left\">").append(esc(f[0])).append("</th><td>").append(esc(f[1]))
                    .append("</td></tr>");
        }
        b.append("</table><p>What to do next: ").append(esc(nextStep(n, usedAt))).append("</p>");
        String link = link(n, base);
        if (!link.isEmpty()) {
            b.append("<p><a href=\"").append(esc(link)).append("\">").append(esc(link)).append("</a></p>");
        }
        return b.append("</body></html>").toString();
    }

    static String esc(String s) {
        return HtmlText.escape(s);
    }
}
