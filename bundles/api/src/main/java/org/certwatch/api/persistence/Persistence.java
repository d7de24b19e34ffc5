package org.certwatch.api.persistence;

import java.util.concurrent.Callable;

/**
 * A shared backend: journals, documents and locks, each addressed by a name the using bundle chooses
 * (prefixed with its own, e.g. {@code store.entries}, {@code fleet.computers}). Every method may throw
 * {@link StorageUnavailableException} when the backend cannot be reached; nothing is then changed.
 */
public interface Persistence {
    /** Service property naming the backend, e.g. {@code postgresql}. */
    String BACKEND_PROPERTY = "certwatch.backend";

    /** The backend's name, as in {@link #BACKEND_PROPERTY}. */
    String backend();

    /**
     * This server's id among those sharing the backend: stable across restarts of one installation
     * (kept in its data folder), unique among the servers.
     */
    String serverId();

    /** The journal of this name, created empty on first use. */
    Journal journal(String name);

    /** The documents of this name, created empty on first use. */
    Documents documents(String name);

    /**
     * Runs {@code work} while holding the cross-server lock of this name: no other server (and no
     * other thread of this one) runs work under the same name at the same time. Meant for short
     * read-check-write sequences such as allocating an id or a rollover step; a writer that must not
     * act on a stale view re-reads (catches up) first thing inside {@code work}. Reentrant on the
     * calling thread.
     *
     * @throws StorageUnavailableException if the lock cannot be taken (the backend is unreachable)
     */
    <T> T exclusively(String lockName, Callable<T> work) throws Exception;
}
