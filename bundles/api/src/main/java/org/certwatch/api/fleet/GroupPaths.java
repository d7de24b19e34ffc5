package org.certwatch.api.fleet;

/** The containment rule of group paths, shared by every bundle that scopes by home group. */
public final class GroupPaths {
    private GroupPaths() {
    }

    /** Whether {@code path} is {@code ancestor} itself or lies below it. */
    public static boolean contains(String ancestor, String path) {
        return path != null && (path.equals(ancestor) || path.startsWith(ancestor + "/"));
    }
}
