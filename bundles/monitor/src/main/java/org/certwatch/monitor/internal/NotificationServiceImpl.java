package org.certwatch.monitor.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.Notice;
import org.certwatch.api.notify.NoticeKind;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationException;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.notify.OutboxEntry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Scoped management of notifications and the outbox: a notification exists for a user only when its
 * owner group lies in the user's home group (or below) and the user may read certificates.
 */
@Component(service = NotificationService.class)
public final class NotificationServiceImpl implements NotificationService {
    private final NotificationBook book;
    private final MonitorEngine engine;
    private final Outbox outbox;
    private final Clock clock;
    private final Consumer<AuditEntry> audit;

    @Activate
    public NotificationServiceImpl(@Reference MonitorRuntime runtime) {
        this(runtime.book(), runtime.engine(), runtime.outbox(), runtime.clock(), runtime::audit);
    }

    NotificationServiceImpl(NotificationBook book, MonitorEngine engine, Outbox outbox, Clock clock,
            Consumer<AuditEntry> audit) {
        this.book = book;
        this.engine = engine;
        this.outbox = outbox;
        this.clock = clock;
        this.audit = audit;
    }

    private static boolean sees(UserScope scope, NotificationDefinition d) {
        return scope.has(Permission.CERTIFICATES_READ) && scope.covers(d.ownerGroup());
    }

    private NotificationDefinition visible(UserScope scope, String id) {
        return book.get(id).filter(d -> sees(scope, d))
                .orElseThrow(() -> new NotificationException("no notification " + id));
    }

    @Override
    public List<NotificationDefinition> list(UserScope scope) {
        return book.all().stream().filter(d -> sees(scope, d)).toList();
    }

    @Override
    public Optional<NotificationDefinition> get(UserScope scope, String id) {
        return book.get(id).filter(d -> sees(scope, d));
    }

    @Override
    public NotificationDefinition create(UserScope scope, NotificationDefinition definition) {
        requireRead(scope);
        NotificationDefinition d = definition.ownerGroup() == null || definition.ownerGroup().isBlank()
                ? new NotificationDefinition(null, definition.name(), definition.scope(), definition.role(),
                        definition.thresholds(), definition.emailRecipients(), definition.snmp(), scope.homeGroup(),
                        definition.enabled(), false)
                : definition;
        if (!scope.covers(d.ownerGroup())) {
            throw new NotificationException("ownerGroup " + d.ownerGroup() + " lies outside your home group "
                    + scope.homeGroup());
        }
        NotificationDefinition saved = book.create(d);
        audit(scope, "notification.create", saved.id(), "ok");
        engine.definitionsChanged(book.all());
        return saved;
    }

    @Override
    public NotificationDefinition update(UserScope scope, NotificationDefinition definition) {
        requireRead(scope);
        visible(scope, definition.id());
        if (!scope.covers(definition.ownerGroup())) {
            throw new NotificationException("ownerGroup " + definition.ownerGroup()
                    + " lies outside your home group " + scope.homeGroup());
        }
        NotificationDefinition saved = book.update(definition);
        audit(scope, "notification.update", saved.id(), "ok");
        engine.definitionsChanged(book.all());
        return saved;
    }

    @Override
    public void delete(UserScope scope, String id) {
        requireRead(scope);
        visible(scope, id);
        book.delete(id);
        outbox.forget(id);
        outbox.forget(id + LocationNotices.SUFFIX);
        audit(scope, "notification.delete", id, "ok");
        engine.definitionsChanged(book.all());
    }

    @Override
    public String sendTest(UserScope scope, String id) {
        NotificationDefinition d = visible(scope, id);
        if (d.emailRecipients().isEmpty() && !d.snmp()) {
            throw new NotificationException("notification " + id + " has no distribution: add e-mail addresses or SNMP");
        }
        String noticeId = "test." + UUID.randomUUID();
        Notice n = new Notice(noticeId, NoticeKind.TEST, clock.instant(), d.name(), 0, "", "", "", null, "", "",
                null, 0, -1, d.ownerGroup(), "certwatch test notice for \"" + d.name() + "\"", "/notifications/" + id,
                d.emailRecipients(), d.snmp(), 0, 0, "", "");
        outbox.commit(List.of(), List.of(n));
        audit(scope, "notification.test", id, "ok: queued " + noticeId);
        return noticeId;
    }

    @Override
    public List<OutboxEntry> outbox(UserScope scope) {
        return outbox.entries().stream()
                .filter(e -> scope.has(Permission.CERTIFICATES_READ) && scope.covers(e.notice().group())).toList();
    }

    @Override
    public void retry(UserScope scope, String noticeId) {
        requireAdmin(scope, noticeId);
        if (!outbox.retry(noticeId)) {
            throw new NotificationException("no notice " + noticeId + " in the outbox");
        }
        audit(scope, "outbox.retry", noticeId, "ok");
    }

    @Override
    public void discard(UserScope scope, String noticeId) {
        requireAdmin(scope, noticeId);
        if (!outbox.discard(noticeId)) {
            throw new NotificationException("no notice " + noticeId + " in the outbox");
        }
        audit(scope, "outbox.discard", noticeId, "ok");
    }

    private void requireAdmin(UserScope scope, String noticeId) {
        Notice n = outbox.notice(noticeId);
        if (n == null || !scope.covers(n.group()) || !scope.has(Permission.CERTIFICATES_READ)) {
            throw new NotificationException("no notice " + noticeId + " in the outbox");
        }
        if (!scope.has(Permission.ADMINISTRATION)) {
            throw new NotificationException("retrying or discarding notices needs the ADMINISTRATION permission");
        }
    }

    private static void requireRead(UserScope scope) {
        if (!scope.has(Permission.CERTIFICATES_READ)) {
            throw new NotificationException("managing notifications needs the CERTIFICATES_READ permission");
        }
    }

    private void audit(UserScope scope, String action, String id, String outcome) {
        audit.accept(new AuditEntry(clock.instant(), scope.user(), action, "notification:" + id, outcome, ""));
    }
}
