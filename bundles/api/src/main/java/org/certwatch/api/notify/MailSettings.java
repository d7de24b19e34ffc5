package org.certwatch.api.notify;

/**
 * SMTP settings of the mail channel.
 *
 * @param host empty: mail is not configured (notices for mail wait in the outbox)
 * @param user empty: no SMTP AUTH
 * @param password never returned by {@link MailSettingsService#get()} (always null there); on
 *     {@link MailSettingsService#set} null keeps the stored one, empty removes it
 * @param passwordSet whether a password is stored (read only)
 * @param sender the From address
 * @param trustedCertificatePem PEM certificates (CA or the server's own) to trust for TLS/STARTTLS in
 *     addition to the JDK's trust store; empty: the JDK's only
 * @param linkBase the web page's base URL for links in mails, e.g. {@code https://certwatch.example:8443}
 * @param timeoutSeconds connect, read and write timeout (1..300)
 */
public record MailSettings(String host, int port, MailSecurity security, String user, String password,
        boolean passwordSet, String sender, String trustedCertificatePem, String linkBase, int timeoutSeconds) {
    public MailSettings withPassword(String value) {
        return new MailSettings(host, port, security, user, value, value != null && !value.isEmpty(), sender,
                trustedCertificatePem, linkBase, timeoutSeconds);
    }
}
