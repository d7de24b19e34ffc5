package org.certwatch.api.persistence;

import java.util.Optional;

/**
 * Which one of the servers sharing a backend does the work that must happen once: the monitor's
 * scheduling, the outbox's delivery, the sources' probing and file watching. The leader holds a lease
 * that expires by the backend's clock (never by a server's movable {@code Clock}) and renews it every
 * few seconds; a server that could not renew in time stops counting itself the leader before its
 * lease can pass to another.
 *
 * <p>Without a shared backend (the file default) there is no {@code Leadership} service and the one
 * server is always the leader.
 */
public interface Leadership {
    /** True while this server holds the lease with enough of it left to finish a short step. */
    boolean isLeader();

    /** The server id of the current lease holder, if any holds an unexpired lease. */
    Optional<String> leader();

    /**
     * Calls {@code listener} with the new value of {@link #isLeader()} whenever it changes, on a thread
     * the backend owns; the subscription's close stops the calls.
     */
    Subscription onChange(Listener listener);

    @FunctionalInterface
    interface Listener {
        void leadershipChanged(boolean leader);
    }
}
