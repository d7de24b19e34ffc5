package org.certwatch.api.fleet;

import java.time.Instant;

/**
 * One rename of a group, as the fleet recorded it: the group at {@code from} and every group below it moved
 * to {@code to} (same parent, another last segment). Numbers start at 1 and grow by one with each rename, so a
 * bundle that stores group paths applies the renames after the last one it applied, in order, and stores that
 * number with its rewrite.
 *
 * @since 1.6
 */
public record GroupRename(long number, String from, String to, Instant at) {
    /** {@code path} as it reads after this rename: unchanged unless it is {@code from} or lies below it. */
    public String apply(String path) {
        return GroupPaths.renamed(path, from, to);
    }

    /** {@code path} after each of {@code renames}, in their order. */
    public static String applyAll(java.util.List<GroupRename> renames, String path) {
        String p = path;
        for (GroupRename r : renames) {
            p = r.apply(p);
        }
        return p;
    }
}
