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
    ROLLOVER_SUGGESTED,
    /**
     * A watched location (file, endpoint) could not be read for the configured number of consecutive checks;
     * {@code objectId} is the location id, {@code host} its address, {@code reason} why.
     */
    LOCATION_FAILING,
    /** A location announced as failing was read again. */
    LOCATION_RECOVERED,
    /**
     * A finding appeared at a location or cleared ({@code Topics.LOCATION_FINDINGS}); {@code objectId} is the location
     * id, {@code host} its address, {@code reason} the findings' texts now (empty once all cleared).
     *
     * @since 1.4
     */
    LOCATION_FINDINGS
}
