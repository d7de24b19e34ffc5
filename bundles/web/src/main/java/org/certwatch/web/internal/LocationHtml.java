package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.List;
import java.util.Locale;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.Location;

/**
 * How a location's status shows on every page that has one (location list and page, a certificate's locations,
 * the endpoints): its state, its findings in words, the handshake of an endpoint and the chain it presented.
 */
final class LocationHtml {
    private LocationHtml() {
    }

    static String state(Location l) {
        String css = switch (l.state()) {
            case OK -> l.findings().isEmpty() ? "valid" : "expiring";
            case FAILING -> "error";
            case GONE, NOT_WATCHED -> "revoked";
        };
        return "<span class=\"st st-" + css + "\">" + l.state().name().replace('_', ' ') + "</span>";
    }

    /** The findings on one line each, for a table cell: "none" when there are none. */
    static String findingsBrief(Location l) {
        if (l.findings().isEmpty()) {
            return "<span class=\"muted\">none</span>";
        }
        StringBuilder b = new StringBuilder();
        for (Finding f : l.findings()) {
            b.append(b.length() == 0 ? "" : "<br>").append(esc(f.text()));
        }
        return b.toString();
    }

    /** The findings as a list, each with its kind in words; nothing when there are none. */
    static String findings(List<Finding> findings) {
        if (findings.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("<ul class=\"findings\">");
        for (Finding f : findings) {
            b.append("<li><strong>").append(esc(kind(f.kind()))).append("</strong>: ").append(esc(f.text()))
                    .append("</li>");
        }
        return b.append("</ul>").toString();
    }

    /** A kind as a heading a person reads, e.g. "host mismatch". */
    static String kind(FindingKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }

    static String probe(EndpointProbe p) {
        return "<dt>handshake</dt><dd>" + esc(p.protocol()) + " · " + esc(p.cipherSuite()) + " · "
                + p.duration().toMillis() + " ms · " + esc(p.peerAddress())
                + (p.ocspStapled() ? " · OCSP stapled" : "") + "</dd>";
    }

    /** A certificate of the presented chain the caller may see, at its position (0 the leaf). */
    record Presented(int index, Views.Row row) {
    }

    /**
     * The chain as presented at the last check, each certificate with subject, issuer, expiry and days left and
     * the findings about it; {@code rows} are the certificates the caller may see, in chain order.
     */
    static String chain(List<Presented> rows, List<Finding> findings) {
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>#</th><th>Status</th>"
                + "<th>Days left</th><th>Subject</th><th class=\"opt\">Issuer</th><th class=\"opt\">Not after</th>"
                + "<th>Findings</th></tr>");
        for (Presented p : rows) {
            Views.Row r = p.row();
            int index = p.index();
            b.append("<tr><td class=\"num\">").append(index).append("</td><td>").append(Html.status(r.status()))
                    .append("</td><td class=\"num\">").append(r.daysLeft()).append("</td><td><a href=\"")
                    .append(r.link()).append("\">").append(esc(r.subject())).append("</a>").append(Html.quietNote(r))
                    .append("</td><td class=\"opt\">").append(r.isCa() ? "" : esc(r.certificate().issuer()))
                    .append("</td><td class=\"opt\">").append(esc(r.notAfter())).append("</td><td>")
                    .append(esc(String.join("; ", findings.stream().filter(f -> f.certificateIndex() == index)
                            .map(Finding::text).toList())))
                    .append("</td></tr>");
        }
        if (rows.isEmpty()) {
            b.append("<tr><td colspan=\"7\" class=\"muted\">nothing read yet</td></tr>");
        }
        return b.append("</table></div>").toString();
    }
}
