package org.certwatch.api.source;

/**
 * The whiteboard contract of a source: each source bundle registers one service of this type while it
 * watches. The location registry tracks these services; when a source's service goes (its bundle stopped,
 * updated or removed), its locations become {@link LocationState#NOT_WATCHED} and keep what they held.
 */
public interface CertificateSource {
    /** The name every {@link LocationRef#source()} of this source carries, e.g. {@code files} or {@code tls}. */
    String name();

    /** One line for the sources page, e.g. "3 watched paths, 41 locations". */
    default String summary() {
        return "";
    }
}
