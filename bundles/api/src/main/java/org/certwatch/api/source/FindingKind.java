package org.certwatch.api.source;

/** What is wrong with what a location holds or presents, besides its leaf's expiry. New constants may be added in minor versions. */
public enum FindingKind {
    /** The chain does not reach a trust anchor because certificates are missing (the server sends too few). */
    CHAIN_INCOMPLETE,
    /** The chain is complete but ends at an anchor nobody trusts (not the JDK's, not certwatch's, not the location's extra CA). */
    CHAIN_UNTRUSTED,
    /** The leaf is its own issuer. */
    SELF_SIGNED,
    /** The leaf does not name the host (SNI name, else host) the location is reached by. */
    HOST_MISMATCH,
    /** A certificate of the chain other than the leaf runs out inside the warning window. */
    CHAIN_CERTIFICATE_EXPIRING,
    /** A certificate of the chain other than the leaf has run out. */
    CHAIN_CERTIFICATE_EXPIRED,
    /** A certificate of the chain (the leaf too) is not valid yet. */
    NOT_YET_VALID,
    /** A key too weak: RSA or DSA below 2048 bits, EC below 256. */
    WEAK_KEY,
    /** A certificate other than a trust anchor signed with SHA-1 or MD5. */
    WEAK_SIGNATURE,
    /** The endpoint completes a handshake with TLS 1.1 or older. */
    OLD_PROTOCOL,
    /** A certificate of the chain is revoked (stapled OCSP response, or the CRL when that check is enabled). */
    REVOKED,
    /** Revocation was to be checked (CRL enabled) but could not be (distribution point unreachable, no CRL). */
    REVOCATION_UNKNOWN
}
