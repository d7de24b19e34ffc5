package org.certwatch.api.source;

/** Why a check could not read a location. New constants may be added in minor versions. */
public enum LocationFailure {
    /** The file or path does not exist (any more). */
    MISSING,
    /** It exists but cannot be read (permissions, I/O error, a symlink loop). */
    UNREADABLE,
    /** Read, but not a certificate, a certificate bundle or a keystore it can open. */
    CORRUPT,
    /** A keystore whose password (or none) does not open it. */
    WRONG_PASSWORD,
    /** Larger than the source's bounds (bytes, aliases, certificates); the reason names the bound. */
    TOO_LARGE,
    /** Read, but holds no certificate. */
    EMPTY,
    /** An endpoint that refused or did not answer the connection. */
    UNREACHABLE,
    /** An endpoint that did not complete the handshake (or STARTTLS) in time, or failed it. */
    HANDSHAKE_FAILED
}
