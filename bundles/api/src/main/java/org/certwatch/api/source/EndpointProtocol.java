package org.certwatch.api.source;

/** How an endpoint reaches its TLS handshake. New constants may be added in minor versions. */
public enum EndpointProtocol {
    /** TLS from the first byte (HTTPS, LDAPS, SMTPS, IMAPS, …). */
    TLS,
    /** SMTP's STARTTLS (RFC 3207), e.g. port 25 or 587. */
    SMTP,
    /** IMAP's STARTTLS (RFC 2595). */
    IMAP,
    /** POP3's STLS (RFC 2595). */
    POP3,
    /** LDAP's StartTLS extended operation (RFC 4511). */
    LDAP,
    /** FTP's AUTH TLS (RFC 4217). */
    FTP,
    /** PostgreSQL's SSLRequest. */
    POSTGRESQL
}
