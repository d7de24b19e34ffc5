package org.certwatch.api;

/** Where a certificate stands in its life, as the monitor, the MIB and the web page show it. */
public enum ExpiryStatus {
    NOT_YET_VALID,
    VALID,
    EXPIRING,
    EXPIRED,
    REVOKED
}
