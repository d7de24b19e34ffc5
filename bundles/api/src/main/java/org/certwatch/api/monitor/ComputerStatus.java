package org.certwatch.api.monitor;

/** A computer's status, driven by its agent certificate. */
public enum ComputerStatus {
    OK,
    /** "certificate expires soon": the agent certificate is EXPIRING. */
    WARNING,
    /** "certificate expired". */
    ERROR
}
