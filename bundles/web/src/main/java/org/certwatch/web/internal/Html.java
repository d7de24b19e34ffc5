package org.certwatch.web.internal;

import java.util.List;
import org.certwatch.commons.text.HtmlText;
import org.certwatch.api.ExpiryStatus;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;

/** Escaping and the page frame: one stylesheet, no scripts, a viewport for phones. */
final class Html {
    private Html() {
    }

    static String esc(Object value) {
        return HtmlText.escape(value);
    }

    static String page(String title, UserScope scope, String csrf, String body) {
        StringBuilder b = new StringBuilder(4096 + body.length());
        b.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(esc(title)).append(" · certwatch</title>")
                .append("<link rel=\"stylesheet\" href=\"/static/style.css\"></head><body>");
        if (scope != null) {
            b.append("<header><a class=\"brand\" href=\"/\">certwatch</a><nav>")
                    .append("<a href=\"/\">Dashboard</a><a href=\"/status\">Status</a>")
                    .append("<a href=\"/certificates\">Certificates</a><a href=\"/cas\">CAs</a>")
                    .append("<a href=\"/computers\">Computers</a><a href=\"/locations\">Locations</a>")
                    .append("<a href=\"/sources\">Sources</a>")
                    .append(ServerAdministrators.includes(scope) ? "<a href=\"/endpoints\">Endpoints</a>" : "")
                    .append("<a href=\"/notifications\">Notifications</a>")
                    .append(scope.has(Permission.ADMINISTRATION) ? "<a href=\"/settings\">Settings</a>" : "")
                    .append(RolloverApi.isAvailableTo(scope) ? "<a href=\"/rollover\">Rollover</a>" : "")
                    .append("<a href=\"/audit\">Audit log</a>")
                    .append(scope.has(Permission.ADMINISTRATION) ? "<a href=\"/users\">Users</a><a href=\"/groups\">Groups</a>" : "")
                    .append(scope.has(Permission.COMPUTERS_WRITE) ? "<a href=\"/enrolment\">Enrol agents</a>" : "")
                    .append(scope.has(Permission.COMPUTERS_READ) ? "<a href=\"/policies\">Policies</a>" : "")
                    .append("<a href=\"/tokens\">API tokens</a><a href=\"/account\">Account</a></nav>")
                    .append("<form class=\"logout\" method=\"post\" action=\"/logout\">").append(csrfField(csrf))
                    .append("<span>").append(esc(scope.user())).append(" · ").append(esc(scope.homeGroup()))
                    .append("</span> <button>Log out</button></form></header>");
        }
        b.append("<main><h1>").append(esc(title)).append("</h1>").append(body).append("</main></body></html>");
        return b.toString();
    }

    static String csrfField(String csrf) {
        return csrf == null ? "" : "<input type=\"hidden\" name=\"csrf\" value=\"" + esc(csrf) + "\">";
    }

    static String status(ExpiryStatus s) {
        return "<span class=\"st st-" + s.name().toLowerCase() + "\">" + s.name().replace('_', ' ') + "</span>";
    }

    static boolean canWrite(UserScope scope) {
        return scope.has(Permission.CERTIFICATES_WRITE);
    }

    /** Why a certificate never alarms although it has a status: it was renewed or replaced, or retired. */
    static String quietNote(Views.Row r) {
        if (r.isCa()) {
            return "";
        }
        return r.certificate().successorId() != 0 ? " <span class=\"muted\">superseded</span>"
                : r.certificate().retired() ? " <span class=\"muted\">not monitored</span>" : "";
    }

    /** CAs and certificates as a table, a link to each. */
    static String rows(List<Views.Row> rows) {
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>Status</th><th>Days left</th>"
                + "<th>Subject</th><th class=\"opt\">Kind</th><th class=\"opt\">Group</th><th class=\"opt\">Not after</th></tr>");
        for (Views.Row r : rows) {
            b.append("<tr><td>").append(Html.status(r.status())).append("</td><td class=\"num\">").append(r.daysLeft())
                    .append("</td><td><a href=\"").append(r.link()).append("\">").append(esc(r.subject()))
                    .append("</a>").append(quietNote(r)).append("</td><td class=\"opt\">").append(r.isCa() ? "CA" : esc(r.certificate().role()))
                    .append("</td><td class=\"opt\">").append(esc(r.group())).append("</td><td class=\"opt\">")
                    .append(esc(r.notAfter())).append("</td></tr>");
        }
        if (rows.isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"muted\">nothing</td></tr>");
        }
        return b.append("</table></div>").toString();
    }
}
