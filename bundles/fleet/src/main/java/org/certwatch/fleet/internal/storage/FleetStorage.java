package org.certwatch.fleet.internal.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.certwatch.api.persistence.Subscription;

/**
 * What the fleet keeps durably, and nothing else: the directory (groups, users, policies, tokens, id
 * counters), the computers and the rollovers, as values. The gates, the rollover steps and the locking
 * stay above this seam, so a second backend (a database) implements only this interface.
 * {@link FileFleetStorage} is the embedded default, {@link SharedFleetStorage} the one over a shared
 * backend. Writers pass whole states (the directory, the rollovers) or the rows of the computers that
 * changed; the caller orders them (a later state is never overwritten by an earlier one).
 *
 * <p>The default methods are what several servers sharing the storage need; their defaults are one
 * server's, which is the only writer of its files.
 */
public interface FleetStorage {
    /** The stored directory, empty when nothing was stored yet. */
    Optional<DirectoryRecord> readDirectory() throws IOException;

    /** The stored computers (each one's last stored row), empty when nothing was stored yet. */
    Optional<ComputersRecord> readComputers() throws IOException;

    /** Durable when it returns. */
    void writeDirectory(DirectoryRecord directory) throws IOException;

    /**
     * Stores these computers' rows, each replacing the stored row of its id (a later one in the list an
     * earlier one): only what changed, so its cost does not grow with the fleet. Durable when it returns.
     */
    void computersChanged(List<ComputerRow> rows) throws IOException;

    RolloversRecord readRollovers() throws IOException;

    /** Durable when it returns. */
    void writeRollovers(long nextId, Collection<RolloverRecord> rollovers) throws IOException;

    /** Where the rollovers are kept, for messages that name it. */
    String rolloversLocation();

    /**
     * Runs {@code work} under the fleet's lock across the servers sharing the storage, so that a change
     * checks and writes what no other server changes meanwhile (reentrant); one server just runs it.
     */
    default <T> T exclusively(Callable<T> work) throws Exception {
        return work.call();
    }

    /** The stored directory if another server changed it since this one last read or wrote it. */
    default Optional<DirectoryRecord> directoryIfChanged() throws IOException {
        return Optional.empty();
    }

    /** The stored rollovers if another server changed them since this one last read or wrote them. */
    default Optional<RolloversRecord> rolloversIfChanged() throws IOException {
        return Optional.empty();
    }

    /**
     * Reserves {@code count} computer ids that no other server hands out, and returns the first (at least
     * {@code from}); empty where the directory's {@code computerIdCeiling} reserves them (one server).
     */
    default OptionalLong reserveComputerIds(long from, long count) throws IOException {
        return OptionalLong.empty();
    }

    /** The computers' rows as stored now where other servers write them too; empty where memory is the truth. */
    default Optional<List<ComputerRow>> sharedComputers() throws IOException {
        return Optional.empty();
    }

    /** Calls {@code changed} (on the backend's thread) when the stored directory changed. */
    default Subscription watchDirectory(Runnable changed) {
        return () -> { };
    }

    /** Calls {@code changed} (on the backend's thread) when the stored rollovers changed. */
    default Subscription watchRollovers(Runnable changed) {
        return () -> { };
    }

    /** Calls {@code changed} (on the backend's thread) with the stored rows of computers that changed. */
    default Subscription watchComputers(Consumer<List<ComputerRow>> changed) {
        return () -> { };
    }
}
