package org.certwatch.web.internal;

import java.util.Map;
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

    /** What a retry or discard of an outbox notice answers. */
    record OutboxDone(String id, String done) {
    }

    void routes(Router r) {
        // the outbox first: "outbox" is no notification's id
        r.on("GET", "notifications/outbox", (ex, p) -> ex.json(200,
                        Paging.of(ex).json(notifications.outbox(ex.scope), Notifications::json)))
                .on("POST", "notifications/outbox/*/retry", this::outboxAction)
                .on("POST", "notifications/outbox/*/discard", this::outboxAction)
                .otherwise("notifications/outbox/**", (ex, p) -> Api.notAllowed(ex))
                // records serialise as they are
                .on("GET", "notifications", (ex, p) -> ex.json(200, Paging.of(ex).json(notifications.list(ex.scope), d -> d)))
                .on("POST", "notifications", this::create)
                .on("GET", "notifications/*", (ex, p) -> ex.json(200, notifications.get(ex.scope, p[1])))
                .on("PUT", "notifications/*", this::update)
                .on("PATCH", "notifications/*", this::update)
                .on("DELETE", "notifications/*", (ex, p) -> {
                    ex.auditAs("web.notification.delete", "notification:" + p[1]);
                    notifications.delete(ex.scope, p[1], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                })
                .on("POST", "notifications/*/test", (ex, p) -> {
                    ex.auditAs("web.notification.test", "notification:" + p[1]);
                    ex.json(202, Map.of("noticeId", notifications.sendTest(ex.scope, p[1], ex.remote())));
                });
    }

    private void create(Exchange ex, String[] p) {
        ex.auditAs("web.notification.create", "notification:new");
        NotificationDefinition d = notifications.create(ex.scope, Json.read(ex.body(), Notifications.Body.class), ex.remote());
        ex.response.getHeaders().put("Location", Api.PREFIX + "notifications/" + d.id());
        ex.json(201, d);
    }

    private void update(Exchange ex, String[] p) {
        ex.auditAs("web.notification.update", "notification:" + p[1]);
        ex.json(200, notifications.update(ex.scope, p[1], Json.read(ex.body(), Notifications.Body.class), ex.remote()));
    }

    private void outboxAction(Exchange ex, String[] p) {
        ex.auditAs("web.outbox." + p[3], "notice:" + p[2]);
        notifications.outboxAction(ex.scope, p[2], p[3].equals("retry"), ex.remote());
        ex.json(200, new OutboxDone(p[2], p[3]));
    }
}
