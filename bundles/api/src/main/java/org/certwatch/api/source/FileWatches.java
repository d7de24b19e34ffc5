package org.certwatch.api.source;

import java.util.List;
import java.util.Optional;

/**
 * The files source's watched paths (feature {@code files}). Changes are durable when a method returns, audited,
 * and take effect at once (the path is scanned). Paths on the server's disk are for server administrators: the
 * callers (web, console) check that; this service checks the allowed roots and refuses with
 * {@link IllegalArgumentException} naming the reason.
 */
public interface FileWatches {
    List<FileWatch> watches();

    Optional<FileWatch> watch(String id);

    /** @param password opens the keystores the pattern matches; null when none needs one (kept encrypted) */
    FileWatch create(FileWatch watch, char[] password, String actor);

    /** @param password null keeps the stored one; an empty array removes it */
    FileWatch update(FileWatch watch, char[] password, String actor);

    /** Stops watching the path; its locations become GONE (their certificates retire without alarm). */
    void delete(String id, String actor);

    /** The roots watched paths must lie under, as configured. */
    List<String> allowedRoots();
}
