package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.Arrays;
import java.util.List;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.monitor.ComputerStatus;

/** The dashboard's HTML: counts by status, the next expiries and the expiry timeline. */
final class DashboardHtml {
    private DashboardHtml() {
    }

    static String dashboard(Views.Dashboard d) {
        // what runs out next first: on a phone it is what shows below the header without scrolling
        StringBuilder b = new StringBuilder("<h2>Next expiries</h2>").append(Html.rows(d.nextExpiries()));
        b.append("<h2>Certificates</h2><div class=\"cards\">");
        for (ExpiryStatus s : ExpiryStatus.values()) {
            b.append("<a class=\"card\" href=\"/certificates?status=").append(s.name()).append("\"><b>")
                    .append(d.certificates().get(s)).append("</b>").append(Html.status(s)).append("</a>");
        }
        b.append("</div><h2>CAs</h2><div class=\"cards\">");
        for (ExpiryStatus s : List.of(ExpiryStatus.VALID, ExpiryStatus.EXPIRING, ExpiryStatus.EXPIRED,
                ExpiryStatus.NOT_YET_VALID)) {
            b.append("<div class=\"card\"><b>").append(d.cas().get(s)).append("</b>").append(Html.status(s)).append("</div>");
        }
        b.append("</div><h2>Computers</h2><div class=\"cards\">");
        for (ComputerStatus s : ComputerStatus.values()) {
            b.append("<a class=\"card\" href=\"/computers\"><b>").append(d.computers().get(s))
                    .append("</b><span class=\"st st-").append(s.name().toLowerCase()).append("\">").append(s)
                    .append("</span></a>");
        }
        b.append("</div><h2>Expiries in the next 12 months</h2>").append(timeline(d));
        b.append("<p class=\"muted\">Evaluated ").append(esc(ApiJson.iso(d.evaluatedAt()))).append("; warning window ")
                .append(d.warningWindow().toDays()).append(" days.</p>");
        return b.toString();
    }

    /** The expiry timeline as inline SVG bars, one per month; no script needed. */
    static String timeline(Views.Dashboard d) {
        int max = Arrays.stream(d.timeline()).max().orElse(0);
        int w = 600;
        int h = 200;
        int barW = w / 12;
        StringBuilder b = new StringBuilder("<svg role=\"img\" aria-label=\"expiries per month\" viewBox=\"0 0 ")
                .append(w).append(' ').append(h + 40).append("\" width=\"100%\" style=\"max-width:").append(w)
                .append("px\">");
        for (int i = 0; i < 12; i++) {
            int n = d.timeline()[i];
            int bh = max == 0 ? 0 : Math.max(n > 0 ? 2 : 0, n * h / max);
            int x = i * barW + 4;
            b.append("<rect x=\"").append(x).append("\" y=\"").append(h - bh).append("\" width=\"").append(barW - 8)
                    .append("\" height=\"").append(bh).append("\" fill=\"").append(i < 3 ? "#b3261e" : "#1f3a5f")
                    .append("\"><title>").append(esc(d.months().get(i))).append(": ").append(n).append("</title></rect>");
            // the count inside the chart: on top of a short bar, inside (white) a tall one
            boolean inside = bh > 20;
            b.append("<text x=\"").append(x + (barW - 8) / 2).append("\" y=\"").append(inside ? h - bh + 15 : h - bh - 4)
                    .append("\" font-size=\"12\" text-anchor=\"middle\"").append(inside ? " fill=\"#fff\"" : "")
                    .append(">").append(n).append("</text>");
            b.append("<text x=\"").append(x + (barW - 8) / 2).append("\" y=\"").append(h + 16)
                    .append("\" font-size=\"11\" text-anchor=\"middle\">").append(esc(d.months().get(i).substring(0, 3)))
                    .append("</text>");
        }
        return b.append("</svg>").toString();
    }
}
