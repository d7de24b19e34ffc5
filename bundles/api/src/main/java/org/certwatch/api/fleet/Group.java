package org.certwatch.api.fleet;

/**
 * A static group. Groups form a tree under the root {@code All}; a group is named by its path
 * ({@code All/Berlin/Lab}), which is also the home-group value stored with certificates.
 *
 * @param path {@code /}-separated names from the root, e.g. {@code All/Berlin}
 * @param shortName stable ASCII name of at most 32 octets, unique; the group's SNMPv3 context name
 */
public record Group(String path, String shortName, String description) {
    public static final String ROOT = "All";
    public static final String LOST_AND_FOUND = ROOT + "/Lost & found";

    /** The last segment of the path. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The parent's path, or null for the root. */
    public String parentPath() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    /** Whether {@code otherPath} is this group or lies below it. */
    public boolean contains(String otherPath) {
        return GroupPaths.contains(path, otherPath);
    }
}
