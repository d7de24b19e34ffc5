package org.certwatch.web.internal;

import static org.certwatch.web.internal.Html.esc;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.notify.OutboxEntry;

/**
 * {@code /notifications}: the list (predefined and custom) with a create form and the outbox;
 * {@code /notifications/{id}}: edit thresholds, distribution, enabled; send test; delete. Forms post
 * back here with the CSRF token and redirect (post/redirect/get).
 */
final class NotificationPages {
    private final Notifications notifications;

    NotificationPages(Notifications notifications) {
        this.notifications = notifications;
    }

    void routes(Router r) {
        r.on("GET", "notifications", (ex, p) -> ex.html(200, Html.page("Notifications", ex.scope, csrf(ex), list(ex.scope, csrf(ex)))))
                .on("POST", "notifications", (ex, p) -> {
                    ex.auditAs("web.notification.create", "notification:new");
                    NotificationDefinition d = notifications.create(ex.scope, body(ex.form(), true), ex.remote());
                    ex.redirect("/notifications/" + d.id());
                })
                .on("POST", "notifications/outbox/*/retry", this::outboxAction)
                .on("POST", "notifications/outbox/*/discard", this::outboxAction)
                .on("GET", "notifications/*", (ex, p) -> {
                    NotificationDefinition d = notifications.get(ex.scope, p[1]);
                    ex.html(200, Html.page("Notification " + d.name(), ex.scope, csrf(ex), edit(d, csrf(ex))));
                })
                .on("POST", "notifications/*", (ex, p) -> {
                    ex.auditAs("web.notification.update", "notification:" + p[1]);
                    notifications.update(ex.scope, p[1], body(ex.form(), false), ex.remote());
                    ex.redirect("/notifications/" + p[1]);
                })
                .on("POST", "notifications/*/test", (ex, p) -> {
                    ex.auditAs("web.notification.test", "notification:" + p[1]);
                    String notice = notifications.sendTest(ex.scope, p[1], ex.remote());
                    NotificationDefinition d = notifications.get(ex.scope, p[1]);
                    ex.html(200, Html.page("Notification " + d.name(), ex.scope, csrf(ex), "<p class=\"ok\">Test notice "
                            + esc(notice) + " queued; it shows in the <a href=\"/notifications#outbox\">outbox</a> until delivered.</p>"
                            + edit(d, csrf(ex))));
                })
                .on("POST", "notifications/*/delete", (ex, p) -> {
                    ex.auditAs("web.notification.delete", "notification:" + p[1]);
                    notifications.delete(ex.scope, p[1], ex.remote());
                    ex.redirect("/notifications");
                });
    }

    private void outboxAction(Exchange ex, String[] p) {
        ex.auditAs("web.outbox." + p[3], "notice:" + p[2]);
        notifications.outboxAction(ex.scope, p[2], p[3].equals("retry"), ex.remote());
        ex.redirect("/notifications#outbox");
    }

    private static String csrf(Exchange ex) {
        return ex.session == null ? null : ex.session.csrf();
    }

    /** Form fields to a body; checkboxes are absent when unticked, so an edit form always carries them. */
    private static Notifications.Body body(Map<String, String> f, boolean create) {
        List<Integer> thresholds = null;
        if (f.get("thresholds") != null) {
            thresholds = Pages.names(f.get("thresholds")).stream()
                    .map(t -> Pages.number(t, "thresholds").intValue()).toList();
        }
        List<String> recipients = f.get("emailRecipients") == null ? null : Pages.names(f.get("emailRecipients"));
        return new Notifications.Body(f.get("name"), create ? f.get("scope") : null, create ? f.get("role") : null,
                thresholds, recipients, f.containsKey("snmp"), create ? f.get("ownerGroup") : null, f.containsKey("enabled")
                        || create && !f.containsKey("form-has-enabled"));
    }

    private String list(UserScope scope, String csrf) {
        List<NotificationDefinition> all = notifications.list(scope);
        StringBuilder b = new StringBuilder("<div class=\"table\"><table><tr><th>Name</th><th>Watches</th>"
                + "<th>Thresholds (days)</th><th>Distribution</th><th class=\"opt\">Owner group</th><th>Enabled</th></tr>");
        for (NotificationDefinition d : all) {
            b.append("<tr><td><a href=\"/notifications/").append(esc(d.id())).append("\">").append(esc(d.name()))
                    .append("</a>").append(d.predefined() ? " <span class=\"muted\">(predefined)</span>" : "")
                    .append("</td><td>").append(esc(watches(d))).append("</td><td>").append(esc(thresholds(d)))
                    .append("</td><td>").append(esc(distribution(d))).append("</td><td class=\"opt\">")
                    .append(esc(d.ownerGroup())).append("</td><td>").append(d.enabled() ? "yes" : "no").append("</td></tr>");
        }
        if (all.isEmpty()) {
            b.append("<tr><td colspan=\"6\" class=\"muted\">no notifications you may see</td></tr>");
        }
        b.append("</table></div><h2>New notification</h2><form class=\"box\" method=\"post\" action=\"/notifications\">")
                .append(Html.csrfField(csrf))
                .append("<label>Name<input name=\"name\" required></label>")
                .append(Pages.select("scope", "Watches", new NotificationScope[] {NotificationScope.PEER_CERTIFICATES,
                    NotificationScope.COMPUTERS, NotificationScope.CAS, NotificationScope.SERVER_CERTIFICATE,
                    NotificationScope.MONITORED_CERTIFICATES, NotificationScope.LOCATIONS},
                        NotificationScope.PEER_CERTIFICATES))
                .append(Pages.select("role", "Role (peer certificates)", Role.values(), null))
                .append(fields("90, 30, 14, 7, 1", "", false, true))
                .append("<label>Owner group<input name=\"ownerGroup\" value=\"").append(esc(scope.homeGroup()))
                .append("\"></label><button>Create</button></form>");
        b.append(outbox(scope, csrf));
        return b.toString();
    }

    private static String fields(String thresholds, String recipients, boolean snmp, boolean enabled) {
        return "<label>Thresholds, days before expiry (comma-separated)<input name=\"thresholds\" value=\"" + esc(thresholds)
                + "\"></label><label>E-mail addresses (comma-separated)<input name=\"emailRecipients\" value=\""
                + esc(recipients) + "\"></label><label class=\"check\"><input type=\"checkbox\" name=\"snmp\""
                + (snmp ? " checked" : "") + "> SNMP trap/inform</label><input type=\"hidden\" name=\"form-has-enabled\" value=\"1\">"
                + "<label class=\"check\"><input type=\"checkbox\" name=\"enabled\"" + (enabled ? " checked" : "")
                + "> enabled</label>";
    }

    private String edit(NotificationDefinition d, String csrf) {
        String base = "/notifications/" + esc(d.id());
        StringBuilder b = new StringBuilder("<p>Watches ").append(esc(watches(d))).append(" in ")
                .append(esc(d.ownerGroup())).append(" and below.</p>");
        b.append("<form class=\"box\" method=\"post\" action=\"").append(base).append("\">").append(Html.csrfField(csrf))
                .append("<label>Name<input name=\"name\" required value=\"").append(esc(d.name())).append("\"></label>")
                .append(fields(thresholds(d), String.join(", ", d.emailRecipients()), d.snmp(), d.enabled()))
                .append("<button>Save</button></form>");
        b.append("<form class=\"box\" method=\"post\" action=\"").append(base).append("/test\">").append(Html.csrfField(csrf))
                .append("<button>Send test</button> <span class=\"muted\">to this distribution, through the outbox</span></form>");
        if (!d.predefined()) {
            b.append("<form class=\"box\" method=\"post\" action=\"").append(base).append("/delete\">")
                    .append(Html.csrfField(csrf)).append("<button class=\"danger\">Delete</button></form>");
        }
        return b.toString();
    }

    private String outbox(UserScope scope, String csrf) {
        List<OutboxEntry> entries = notifications.outbox(scope);
        boolean admin = scope.has(Permission.ADMINISTRATION);
        StringBuilder b = new StringBuilder("<h2 id=\"outbox\">Outbox</h2><div class=\"table\"><table><tr><th>Notice</th>"
                + "<th>Waiting for</th><th>Attempts</th><th>Last error</th>" + (admin ? "<th></th>" : "") + "</tr>");
        for (OutboxEntry e : entries) {
            String id = esc(e.notice().id());
            b.append("<tr><td>").append(esc(e.notice().text())).append("<br><span class=\"muted\">").append(id)
                    .append("</span></td><td>").append(esc(String.join(", ", e.pendingChannels())))
                    .append(e.failed() ? " <span class=\"st st-error\">failed</span>" : "").append("</td><td class=\"num\">")
                    .append(e.attempts()).append("</td><td>").append(esc(e.lastError())).append("</td>");
            if (admin) {
                b.append("<td>");
                for (String action : List.of("retry", "discard")) {
                    b.append("<form class=\"inline\" method=\"post\" action=\"/notifications/outbox/").append(id).append('/')
                            .append(action).append("\">").append(Html.csrfField(csrf)).append("<button")
                            .append(action.equals("discard") ? " class=\"danger\"" : "").append('>').append(action)
                            .append("</button></form>");
                }
                b.append("</td>");
            }
            b.append("</tr>");
        }
        if (entries.isEmpty()) {
            b.append("<tr><td colspan=\"").append(admin ? 5 : 4).append("\" class=\"muted\">empty: every notice was delivered</td></tr>");
        }
        return b.append("</table></div>").toString();
    }

    private static String watches(NotificationDefinition d) {
        return switch (d.scope()) {
            case SERVER_CERTIFICATE -> "the server certificate";
            case CAS -> "certification authorities";
            case PEER_CERTIFICATES -> d.role() == null ? "peer certificates" : d.role().name() + " certificates";
            case COMPUTERS -> "computers";
            case MONITORED_CERTIFICATES -> "monitored certificates";
            case LOCATIONS -> "watched locations";
        };
    }

    private static String thresholds(NotificationDefinition d) {
        return d.thresholds().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private static String distribution(NotificationDefinition d) {
        String mail = String.join(", ", d.emailRecipients());
        return Arrays.stream(new String[] {mail, d.snmp() ? "SNMP" : ""}).filter(s -> !s.isEmpty())
                .collect(Collectors.joining(" + ")).transform(s -> s.isEmpty() ? "none" : s);
    }
}
