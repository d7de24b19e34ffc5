package org.certwatch.api.notify;

/** A notification-management request was refused (bad input, out of scope, unknown id); nothing changed. */
public final class NotificationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotificationException(String message) {
        super(message);
    }
}
