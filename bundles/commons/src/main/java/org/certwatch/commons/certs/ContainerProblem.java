package org.certwatch.commons.certs;

/** Why a certificate container could not be read, for callers that act on the kind (a location's failure). */
public enum ContainerProblem {
    /** Nothing in it: no bytes, or no certificate. */
    EMPTY,
    /** Not a container certwatch reads, or a damaged one. */
    CORRUPT,
    /** The password does not open it, or none was given and it needs one. */
    WRONG_PASSWORD,
    /** Over a bound: bytes, aliases, certificates, nesting or key-derivation iterations. */
    TOO_LARGE
}
