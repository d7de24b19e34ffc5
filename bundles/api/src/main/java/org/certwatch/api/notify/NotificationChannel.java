package org.certwatch.api.notify;

/**
 * Whiteboard: a way to deliver notices (the mail bundle registers {@code mail}, the SNMP bundle
 * {@code snmp}). The outbox calls {@link #deliver} for every pending notice meant for this channel
 * until it returns normally; a channel that is gone or failing leaves its notices waiting.
 *
 * <p>Register with the service property {@value #NAME_PROPERTY} = {@link #name()}.
 */
public interface NotificationChannel {
    String NAME_PROPERTY = "certwatch.channel";
    String MAIL = "mail";
    String SNMP = "snmp";

    String name();

    /** Whether this channel has anything to do for the notice (e.g. mail: it has recipients). */
    boolean wants(Notice notice);

    /**
     * Delivers the notice; returns only when the peer has accepted it (SMTP 250, inform acknowledged;
     * a plain trap counts as accepted once sent). Must time out within seconds.
     *
     * @throws DeliveryException with a message that names the peer's answer
     */
    void deliver(Notice notice) throws DeliveryException;
}
