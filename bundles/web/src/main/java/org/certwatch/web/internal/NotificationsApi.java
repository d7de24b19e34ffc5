package org.certwatch.web.internal;

import java.util.Map;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NotificationDefinition;

/**
 * {@code /api/v1/notifications}: list, create, read, edit, delete, send test; and
 * {@code /api/v1/notifications/outbox} with retry and discard.
 */
final class NotificationsApi {
    private final Notifications notifications;

    NotificationsApi(Notifications notifications) {
        this.notifications = notifications;
    }

    void handle(Exchange ex, String[] p) {
        UserScope scope = ex.scope;
        String from = ex.remote();
        if (p.length >= 2 && p[1].equals("outbox")) {
            outbox(ex, p, scope, from);
            return;
        }
        if (p.length == 1) {
            if (ex.isGet()) {
                ex.json(200, Paging.of(ex).json(notifications.list(scope), d -> d)); // records serialise as they are
            } else if ("POST".equals(ex.method)) {
                ex.auditAs("web.notification.create", "notification:new");
                NotificationDefinition d = notifications.create(scope, Json.read(ex.body(), Notifications.Body.class), from);
                ex.response.getHeaders().put("Location", Api.PREFIX + "notifications/" + d.id());
                ex.json(201, d);
            } else {
                throw Api.notAllowed(ex);
            }
            return;
        }
        String id = p[1];
        if (p.length == 2 && ex.isGet()) {
            ex.json(200, notifications.get(scope, id));
        } else if (p.length == 2 && ("PUT".equals(ex.method) || "PATCH".equals(ex.method))) {
            ex.auditAs("web.notification.update", "notification:" + id);
            ex.json(200, notifications.update(scope, id, Json.read(ex.body(), Notifications.Body.class), from));
        } else if (p.length == 2 && "DELETE".equals(ex.method)) {
            ex.auditAs("web.notification.delete", "notification:" + id);
            notifications.delete(scope, id, from);
            ex.send(204, "application/json", new byte[0]);
        } else if (p.length == 3 && p[2].equals("test") && "POST".equals(ex.method)) {
            ex.auditAs("web.notification.test", "notification:" + id);
            ex.json(202, Map.of("noticeId", notifications.sendTest(scope, id, from)));
        } else {
            throw Api.notAllowed(ex);
        }
    }

    private void outbox(Exchange ex, String[] p, UserScope scope, String from) {
        if (p.length == 2 && ex.isGet()) {
            ex.json(200, Paging.of(ex).json(notifications.outbox(scope), Notifications::json));
        } else if (p.length == 4 && "POST".equals(ex.method) && (p[3].equals("retry") || p[3].equals("discard"))) {
            ex.auditAs("web.outbox." + p[3], "notice:" + p[2]);
            notifications.outboxAction(scope, p[2], p[3].equals("retry"), from);
            ex.json(200, Map.of("id", p[2], "done", p[3]));
        } else {
            throw Api.notAllowed(ex);
        }
    }
}
