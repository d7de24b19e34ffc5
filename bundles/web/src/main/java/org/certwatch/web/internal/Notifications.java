package org.certwatch.web.internal;

import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationException;
import org.certwatch.api.notify.NotificationScope;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.notify.OutboxEntry;

/**
 * Notifications and the outbox for the pages and the API, on the monitor's
 * {@link NotificationService} (which scopes every call by the user). Objects the user cannot see
 * answer 404; the monitor's refusals become 400 with its words; every change is audited here with
 * the remote address (the monitor audits it too).
 */
final class Notifications {
    /** Create or edit; on edit, fields left out (null) keep their value. */
    record Body(String name, String scope, String role, List<Integer> thresholds, List<String> emailRecipients,
            Boolean snmp, String ownerGroup, Boolean enabled) {
    }

    private final Services services;
    private final Actions actions;

    Notifications(Services services, Actions actions) {
        this.services = services;
        this.actions = actions;
    }

    NotificationService service() {
        return services.notifications().orElseThrow(() -> Problem.unavailable(
                "notifications are not available: the monitor bundle is not running"));
    }

    List<NotificationDefinition> list(UserScope scope) {
        return service().list(scope);
    }

    NotificationDefinition get(UserScope scope, String id) {
        return service().get(scope, id).orElseThrow(() -> Problem.notFound("notification '" + id + "'"));
    }

    NotificationDefinition create(UserScope scope, Body body, String from) {
        if (body.name() == null || body.name().isBlank()) {
            throw Problem.badRequest("field 'name' is required: what the notification is about, e.g. 'Berlin agents'");
        }
        NotificationScope what = Actions.parse(NotificationScope.class, body.scope(), "scope");
        NotificationDefinition d = new NotificationDefinition(null, body.name().trim(), what, role(body.role()),
                body.thresholds() == null ? List.of(90, 30, 14, 7, 1) : thresholds(body.thresholds()),
                body.emailRecipients() == null ? List.of() : trimmed(body.emailRecipients()),
                Boolean.TRUE.equals(body.snmp()), ownerGroup(scope, body.ownerGroup()),
                body.enabled() == null || body.enabled(), false);
        NotificationDefinition saved = refused(scope, "notification.create", "notification:new", from,
                () -> service().create(scope, d));
        return saved;
    }

    NotificationDefinition update(UserScope scope, String id, Body body, String from) {
        NotificationDefinition old = get(scope, id);
        if (old.predefined() && (body.scope() != null && !body.scope().equalsIgnoreCase(old.scope().name())
                || body.role() != null)) {
            throw Problem.badRequest("what a predefined notification watches cannot change: edit its thresholds,"
                    + " distribution and enabled flag, or create a notification of your own");
        }
        NotificationDefinition d = new NotificationDefinition(id,
                body.name() == null ? old.name() : body.name().trim(),
                body.scope() == null ? old.scope() : Actions.parse(NotificationScope.class, body.scope(), "scope"),
                body.role() == null ? old.role() : role(body.role()),
                body.thresholds() == null ? old.thresholds() : thresholds(body.thresholds()),
                body.emailRecipients() == null ? old.emailRecipients() : trimmed(body.emailRecipients()),
                body.snmp() == null ? old.snmp() : body.snmp(),
                body.ownerGroup() == null ? old.ownerGroup() : ownerGroup(scope, body.ownerGroup()),
                body.enabled() == null ? old.enabled() : body.enabled(), old.predefined());
        NotificationDefinition saved = refused(scope, "notification.update", "notification:" + id, from,
                () -> service().update(scope, d));
        return saved;
    }

    void delete(UserScope scope, String id, String from) {
        if (get(scope, id).predefined()) {
            throw new Problem(409, "notification '" + id + "' is predefined: disable it instead of deleting it");
        }
        refused(scope, "notification.delete", "notification:" + id, from, () -> {
            service().delete(scope, id);
            return null;
        });
    }

    String sendTest(UserScope scope, String id, String from) {
        get(scope, id);
        String notice = refused(scope, "notification.test", "notification:" + id, from,
                () -> service().sendTest(scope, id));
        return notice;
    }

    List<OutboxEntry> outbox(UserScope scope) {
        return service().outbox(scope);
    }

    /** Retry or discard: the notice must be visible (else 404) and the user an administrator (else 403). */
    void outboxAction(UserScope scope, String noticeId, boolean retry, String from) {
        String action = retry ? "outbox.retry" : "outbox.discard";
        if (outbox(scope).stream().noneMatch(e -> e.notice().id().equals(noticeId))) {
            throw Problem.notFound("notice '" + noticeId + "' in the outbox");
        }
        if (!scope.has(Permission.ADMINISTRATION)) {
            actions.audit(scope, "web." + action, "notice:" + noticeId, "refused: no ADMINISTRATION permission", from);
            throw Problem.forbidden("retrying or discarding notices needs the ADMINISTRATION permission").audited();
        }
        refused(scope, action, "notice:" + noticeId, from, () -> {
            if (retry) {
                service().retry(scope, noticeId);
            } else {
                service().discard(scope, noticeId);
            }
            return null;
        });
    }

    private <T> T refused(UserScope scope, String action, String target, String from, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (NotificationException | IllegalArgumentException e) {
            actions.audit(scope, "web." + action, target, "refused: " + e.getMessage(), from);
            throw Problem.badRequest(e.getMessage()).audited();
        }
    }

    /** A notice in the outbox as the API shows it. */
    record Outboxed(String id, String kind, String notification, String text, String group, String createdAt,
            List<String> pendingChannels, int attempts, String lastError, boolean failed, String lastAttempt) {
    }

    static Outboxed json(OutboxEntry e) {
        return new Outboxed(e.notice().id(), e.notice().kind().name(), e.notice().notification(), e.notice().text(),
                e.notice().group(), ApiJson.iso(e.notice().createdAt()), e.pendingChannels(), e.attempts(),
                e.lastError(), e.failed(), ApiJson.iso(e.lastAttempt()));
    }

    private static Role role(String text) {
        return Actions.parseOptional(Role.class, text, "role");
    }

    /** The owner group as every group field is checked; none named: the caller's home group. */
    private String ownerGroup(UserScope scope, String requested) {
        return actions.groups.orHome(scope, requested, "field 'ownerGroup'");
    }

    private static List<Integer> thresholds(List<Integer> days) {
        return withoutNull(days, "field 'thresholds' must list whole numbers of days");
    }

    private static List<String> trimmed(List<String> values) {
        return withoutNull(values, "field 'emailRecipients' must list e-mail addresses").stream().map(String::trim)
                .filter(v -> !v.isEmpty()).toList();
    }

    /** A list from the body; jackson keeps a null element, and the definition's List.copyOf would throw on it. */
    private static <T> List<T> withoutNull(List<T> values, String what) {
        if (values.stream().anyMatch(java.util.Objects::isNull)) {
            throw Problem.badRequest(what + "; null is not one");
        }
        return values;
    }
}
