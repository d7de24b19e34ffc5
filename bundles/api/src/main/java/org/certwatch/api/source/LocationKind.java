package org.certwatch.api.source;

/** What kind of place a location is. */
public enum LocationKind {
    /** A file on the server's disk; a keystore entry is one location per alias. */
    FILE,
    /** A network endpoint presenting a chain (host, port, SNI name, protocol). */
    ENDPOINT
}
