package org.certwatch.api.source;

/** A location's condition after its last check. Whatever the state, the last certificate keeps its expiry status. */
public enum LocationState {
    /** Read at the last check; its certificate is the current one. */
    OK,
    /** The last check could not read it ({@link Location#failure()}, {@link Location#reason()}). */
    FAILING,
    /** It no longer exists (a removed file): its last certificate retired without alarm. */
    GONE,
    /** Nobody watches it: its source is not deployed, or watching was stopped. */
    NOT_WATCHED
}
