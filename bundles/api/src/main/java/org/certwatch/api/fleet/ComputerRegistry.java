package org.certwatch.api.fleet;

import java.util.List;
import java.util.Optional;

/** The managed computers. Changes are announced on {@code org/certwatch/computer/*} topics. */
public interface ComputerRegistry {
    List<Computer> computers();

    Optional<Computer> computer(long id);

    Optional<Computer> computerByName(String name);
}
