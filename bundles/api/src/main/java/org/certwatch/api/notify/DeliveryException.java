package org.certwatch.api.notify;

/**
 * A notice was not delivered. {@code permanent} means retrying cannot help (e.g. the recipient was
 * rejected); the notice then stays in the outbox, marked failed, until an admin discards or retries it.
 */
public final class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean permanent;

    public DeliveryException(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public DeliveryException(String message, boolean permanent, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
