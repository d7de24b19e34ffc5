package org.certwatch.api.fleet;

/** What a user may do within their home group. */
public enum Permission {
    /** See certificates, CAs and the notifications about them. */
    CERTIFICATES_READ,
    /** Use certificates in policies. */
    CERTIFICATES_USE,
    /** Issue, import, renew, revoke, export keys, create and delete CAs. */
    CERTIFICATES_WRITE,
    COMPUTERS_READ,
    COMPUTERS_WRITE,
    /** Server settings, users, groups, rollover. */
    ADMINISTRATION
}
