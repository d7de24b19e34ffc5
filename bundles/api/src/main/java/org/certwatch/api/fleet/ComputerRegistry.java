package org.certwatch.api.fleet;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The managed computers. Changes are announced on {@code org/certwatch/computer/*} topics. */
public interface ComputerRegistry {
    List<Computer> computers();

    Optional<Computer> computer(long id);

    Optional<Computer> computerByName(String name);

    /**
     * The interval agents are told to replicate at now (the configured one, longer when the fleet is
     * larger than the server plans for); a computer silent for several of them has a status of its own.
     */
    default Duration replicationInterval() {
        return Duration.ofSeconds(60);
    }
}
