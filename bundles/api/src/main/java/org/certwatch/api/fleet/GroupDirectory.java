package org.certwatch.api.fleet;

import java.util.List;
import java.util.Optional;

/** The static group tree; the root {@code All} and {@code All/Lost & found} always exist. */
public interface GroupDirectory {
    List<Group> groups();

    Optional<Group> group(String path);

    Optional<Group> groupByShortName(String shortName);
}
