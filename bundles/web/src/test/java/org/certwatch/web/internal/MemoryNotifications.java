package org.certwatch.web.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.notify.NotificationDefinition;
import org.certwatch.api.notify.NotificationException;
import org.certwatch.api.notify.NotificationService;
import org.certwatch.api.notify.OutboxEntry;

/** Notifications in memory, scoped by owner group as the monitor scopes them; no outbox. */
final class MemoryNotifications implements NotificationService {
    final Map<String, NotificationDefinition> definitions = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public List<NotificationDefinition> list(UserScope scope) {
        return definitions.values().stream().filter(d -> scope.covers(d.ownerGroup())).toList();
    }

    @Override
    public Optional<NotificationDefinition> get(UserScope scope, String id) {
        return Optional.ofNullable(definitions.get(id)).filter(d -> scope.covers(d.ownerGroup()));
    }

    @Override
    public NotificationDefinition create(UserScope scope, NotificationDefinition d) {
        String owner = d.ownerGroup() == null ? scope.homeGroup() : d.ownerGroup();
        if (!scope.covers(owner)) {
            throw new NotificationException("ownerGroup " + owner + " lies outside your home group " + scope.homeGroup());
        }
        NotificationDefinition saved = new NotificationDefinition("n" + ids.incrementAndGet(), d.name(), d.scope(), d.role(),
                d.thresholds(), d.emailRecipients(), d.snmp(), owner, d.enabled(), false);
        definitions.put(saved.id(), saved);
        return saved;
    }

    @Override
    public NotificationDefinition update(UserScope scope, NotificationDefinition d) {
        get(scope, d.id()).orElseThrow(() -> new NotificationException("no notification " + d.id()));
        definitions.put(d.id(), d);
        return d;
    }

    @Override
    public void delete(UserScope scope, String id) {
        definitions.remove(id);
    }

    @Override
    public String sendTest(UserScope scope, String id) {
        throw new NotificationException("notification " + id + " has no distribution");
    }

    @Override
    public List<OutboxEntry> outbox(UserScope scope) {
        return List.of();
    }

    @Override
    public void retry(UserScope scope, String noticeId) {
        throw new NotificationException("no notice " + noticeId);
    }

    @Override
    public void discard(UserScope scope, String noticeId) {
        throw new NotificationException("no notice " + noticeId);
    }
}
