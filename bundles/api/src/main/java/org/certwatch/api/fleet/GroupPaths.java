package org.certwatch.api.fleet;

/** The rules of group paths, shared by every bundle that names or scopes by groups. */
public final class GroupPaths {
    private GroupPaths() {
    }

    /**
     * Whether {@code path} is {@code ancestor} itself or lies below it. A path with a {@code .} or
     * {@code ..} segment lies nowhere: {@code All/Berlin/../Hamburg} is not below {@code All/Berlin}.
     */
    public static boolean contains(String ancestor, String path) {
        return path != null && (path.equals(ancestor) || path.startsWith(ancestor + "/") && !hasDotSegment(path));
    }

    /**
     * Whether {@code path} can name a group: the root {@code All} or {@code All/…} with every level
     * named — no empty segment (a leading, trailing or doubled {@code /}) and no {@code .} or {@code ..},
     * which would let one path stand for another — and no control character, line break or bidirectional
     * override: a path is written into log and audit lines, pages and SNMP, where those would forge a
     * line or show one name as another.
     */
    public static boolean isWellFormed(String path) {
        if (path == null || !path.equals(Group.ROOT) && !path.startsWith(Group.ROOT + "/")) {
            return false;
        }
        return !path.endsWith("/") && !path.contains("//") && !hasDotSegment(path)
                && path.chars().noneMatch(GroupPaths::isForbidden);
    }

    private static boolean isForbidden(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c >= '\u202A' && c <= '\u202E'
                || c >= '\u2066' && c <= '\u2069';
    }

    /**
     * {@code path} after the group {@code from} was renamed to {@code to}: {@code to} for {@code from}
     * itself, {@code to} + the rest for a path below it, anything else unchanged (null stays null).
     *
     * @since 1.6
     */
    public static String renamed(String path, String from, String to) {
        if (path == null || from == null || from.isEmpty()) {
            return path;
        }
        if (path.equals(from)) {
            return to;
        }
        return path.startsWith(from + "/") ? to + path.substring(from.length()) : path;
    }

    private static boolean hasDotSegment(String path) {
        for (int dot = path.indexOf('.'); dot >= 0; dot = path.indexOf('.', dot + 1)) {
            if (dot == 0 || path.charAt(dot - 1) == '/') {
                int end = dot + 1 < path.length() && path.charAt(dot + 1) == '.' ? dot + 2 : dot + 1;
                if (end == path.length() || path.charAt(end) == '/') {
                    return true;
                }
            }
        }
        return false;
    }
}
