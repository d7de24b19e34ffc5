package org.certwatch.api.notify;

/** What a notification watches. */
public enum NotificationScope {
    /** The certificate the server presents (it follows a switch of the server certificate). */
    SERVER_CERTIFICATE,
    /** Certification authorities. */
    CAS,
    /** Peer and monitor-only certificates, of one role or (role null) of every role. */
    PEER_CERTIFICATES,
    /** Computers' status as driven by their agent certificates ("certificate expires soon", "expired"). */
    COMPUTERS,
    /** Monitored certificates (role MONITORED: imported, or observed by a source), by their thresholds. */
    MONITORED_CERTIFICATES,
    /** Watched locations that fail or recover (no thresholds). */
    LOCATIONS
}
