package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.OpenSslText;
import org.certwatch.api.store.SubjectAltName;

/**
 * A certificate's facts as a person reads them: labels and values in words, nothing that does not exist
 * (no description, no revocation, no alternative names: no line), dates in UTC, serial and fingerprint as
 * openssl prints them. The JSON field names stay the API's.
 */
final class CertificateFacts {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final StringBuilder b = new StringBuilder("<dl class=\"facts\">");

    private CertificateFacts() {
    }

    static String html(CertificateInfo c) {
        CertificateFacts f = new CertificateFacts();
        f.fact("Subject", esc(c.subject()));
        f.fact("Role", esc(role(c.role())));
        f.fact("Host", blank(c.host()) ? null : esc(c.host()));
        f.fact("Also valid for", c.subjectAltNames().isEmpty() ? null : esc(SubjectAltName.openssl(c.subjectAltNames())));
        f.fact("Issued by", c.caId() != 0 ? "<a href=\"/cas/" + c.caId() + "\">" + esc(c.issuer()) + "</a>"
                : esc(c.issuer()) + " (not issued by certwatch)");
        f.fact("Valid from", when(c.notBefore()));
        f.fact("Valid until", when(c.notAfter()));
        f.fact("Serial number", esc(OpenSslText.serial(c.serial())));
        f.fact("SHA-256 fingerprint", esc(OpenSslText.fingerprint(c.fingerprint())));
        f.fact("Key", esc(c.keyAlgorithm() + (c.keySize() > 0 ? ", " + c.keySize() + " bits" : "")));
        f.fact("Private key", c.hasKey() ? "held by certwatch (encrypted)" : "not held by certwatch");
        f.fact("Group", esc(c.homeGroup()));
        f.fact("Description", blank(c.description()) ? null : esc(c.description()));
        f.fact("Added", when(c.createdAt()));
        f.fact("Revoked", c.revokedAt() == null ? null : when(c.revokedAt())
                + (c.revocationReason() == null ? "" : ", " + esc(c.revocationReason().name().toLowerCase(Locale.ROOT)
                        .replace('_', ' '))));
        f.fact("Retired", c.retiredAt() == null ? null : when(c.retiredAt()) + " (it no longer alarms)");
        f.fact("Replaces", c.predecessorId() == 0 ? null : link(c.predecessorId()));
        f.fact("Replaced by", c.successorId() == 0 ? null : link(c.successorId()));
        return f.b.append("</dl>").toString();
    }

    /** One line; none for a value that does not exist (null). */
    private void fact(String label, String html) {
        if (html != null) {
            b.append("<dt>").append(label).append("</dt><dd>").append(html).append("</dd>");
        }
    }

    static String role(Role role) {
        return switch (role) {
            case SERVER -> "server";
            case AGENT -> "agent";
            case PROXY -> "proxy";
            case MDM -> "MDM";
            case MONITORED -> "monitored (issued elsewhere, watched by certwatch)";
        };
    }

    private static String when(Instant instant) {
        return instant == null ? null : WHEN.format(instant);
    }

    private static String link(long id) {
        return "<a href=\"/certificates/" + id + "\">certificate " + id + "</a>";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
