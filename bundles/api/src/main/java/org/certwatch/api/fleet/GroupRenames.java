package org.certwatch.api.fleet;

import java.util.List;

/**
 * The renames of groups the fleet recorded, kept for good (a few bytes each), so a bundle stopped
 * meanwhile, or a server that was down, catches up at its start. Each rename is posted as
 * {@link org.certwatch.api.Topics#GROUP_RENAMED} once the fleet's own data follows it.
 *
 * @since 1.6
 */
public interface GroupRenames {
    /** The renames numbered above {@code number}, in order (0: all of them). */
    List<GroupRename> since(long number);

    /** The number of the last rename, 0 when there was none. */
    long last();
}
