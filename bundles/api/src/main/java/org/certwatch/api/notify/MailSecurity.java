package org.certwatch.api.notify;

/** How the SMTP connection is protected. */
public enum MailSecurity {
    /** Plain SMTP (port 25/587 without TLS). */
    NONE,
    /** Plain connect, then STARTTLS is required before AUTH and MAIL. */
    STARTTLS,
    /** TLS from the first byte (SMTPS, port 465). */
    TLS
}
