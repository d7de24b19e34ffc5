package org.certwatch.api.notify;

/** The SMTP settings, persisted in the data folder and applied at once (no restart). */
public interface MailSettingsService {
    /** The current settings without the password. */
    MailSettings get();

    /**
     * Validates, stores durably and applies the settings.
     *
     * @throws IllegalArgumentException naming the bad field; nothing changed
     */
    void set(MailSettings settings, String actor);

    /**
     * Sends a test e-mail with the current settings and returns the SMTP server's answer to it.
     *
     * @throws DeliveryException whose message is the SMTP server's exact answer (or the connection error)
     */
    String sendTest(String recipient) throws DeliveryException;
}
