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
    TEST,
    /**
     * Time to start a CA rollover: the CA's remaining life dropped below the lifetime of the longest-lived
     * certificate it issued, or below the warning window, whichever came first.
     */
    ROLLOVER_SUGGESTED
}
