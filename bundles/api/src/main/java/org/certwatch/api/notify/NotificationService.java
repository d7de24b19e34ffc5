package org.certwatch.api.notify;

import java.util.List;
import java.util.Optional;
import org.certwatch.api.fleet.UserScope;

/**
 * Managing notifications and their outbox. Every call is scoped: a user sees and edits only the
 * notifications owned in their home group or below, and only with
 * {@link org.certwatch.api.fleet.Permission#CERTIFICATES_READ}; others do not exist for them.
 * Refused requests throw {@link NotificationException} and change nothing.
 */
public interface NotificationService {
    List<NotificationDefinition> list(UserScope scope);

    Optional<NotificationDefinition> get(UserScope scope, String id);

    /** Saves a new notification (its id is assigned); the owner group defaults to the user's home group. */
    NotificationDefinition create(UserScope scope, NotificationDefinition definition);

    NotificationDefinition update(UserScope scope, NotificationDefinition definition);

    /** Deletes a notification; predefined ones can only be disabled. */
    void delete(UserScope scope, String id);

    /** Queues a TEST notice to the notification's distribution through the outbox; returns its id. */
    String sendTest(UserScope scope, String id);

    /** Notices not yet confirmed by every channel, oldest first, for what the user may see. */
    List<OutboxEntry> outbox(UserScope scope);

    /** Clears a failed mark and the backoff so the notice is tried again now. */
    void retry(UserScope scope, String noticeId);

    /** Removes a notice from the outbox without delivering it (recorded in the audit log). */
    void discard(UserScope scope, String noticeId);
}
