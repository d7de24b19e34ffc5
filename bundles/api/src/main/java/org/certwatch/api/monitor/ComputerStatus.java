package org.certwatch.api.monitor;

/** A computer's status, driven by its agent certificate and by whether its agent still replicates. */
public enum ComputerStatus {
    OK,
    /** "certificate expires soon": the agent certificate is EXPIRING. */
    WARNING,
    /** "certificate expired". */
    ERROR,
    /**
     * "agent silent": its agent has not replicated for the monitor's {@code silent_intervals} replication
     * intervals (an expired certificate, ERROR, still wins: it is why an agent cannot replicate).
     */
    SILENT
}
