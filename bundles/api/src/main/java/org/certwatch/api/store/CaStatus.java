package org.certwatch.api.store;

/** Whether a CA can still sign; a deleted CA keeps its record (history) but has lost its key. */
public enum CaStatus {
    ACTIVE,
    DELETED
}
