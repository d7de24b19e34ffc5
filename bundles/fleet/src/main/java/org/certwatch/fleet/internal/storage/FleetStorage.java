package org.certwatch.fleet.internal.storage;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * What the fleet keeps durably, and nothing else: the directory (groups, users, policies, tokens, id
 * counters), the computers and the rollovers, as values. The gates, the rollover steps and the locking
 * stay above this seam, so a second backend (a database) implements only this interface.
 * {@link FileFleetStorage} is the embedded default. Writers pass whole states (the directory, the
 * rollovers) or the rows of the computers that changed; the caller orders them (a later state is never
 * overwritten by an earlier one).
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
}
