package org.certwatch.api.notify;

/** What a notice is about; each maps to one NOTIFICATION-TYPE of CERTWATCH-MIB. */
public enum NoticeKind {
    CERTIFICATE_EXPIRING,
    CERTIFICATE_EXPIRED,
    CA_EXPIRING,
    CA_EXPIRED,
    COMPUTER_STATUS_CHANGED,
    ROLLOVER_STEP_COMPLETED,
    ROLLOVER_STEP_BLOCKED,
    /** "send test" from the notification settings. */
    TEST
}
