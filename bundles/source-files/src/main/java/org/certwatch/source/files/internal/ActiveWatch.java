package org.certwatch.source.files.internal;

/**
 * A watch as the scanner uses it: its pattern on the disk and the opened keystore password.
 *
 * @param password null when the watch has none
 */
record ActiveWatch(String id, String homeGroup, WatchedPath path, char[] password) {
    /** The same watch as {@code other}, password included (a record compares arrays by identity). */
    boolean sameAs(ActiveWatch other) {
        return other != null && id.equals(other.id) && homeGroup.equals(other.homeGroup)
                && path.pattern().equals(other.path.pattern()) && path.recursive() == other.path.recursive()
                && java.util.Arrays.equals(password, other.password);
    }
}
