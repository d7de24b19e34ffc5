package org.certwatch.source.files.internal;

/**
 * A watch as the scanner uses it: its pattern on the disk and the opened keystore password.
 *
 * @param password null when the watch has none
 */
record ActiveWatch(String id, String homeGroup, WatchedPath path, char[] password) {
}
