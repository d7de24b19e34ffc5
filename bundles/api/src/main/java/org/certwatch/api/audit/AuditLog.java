package org.certwatch.api.audit;

import java.util.List;

/**
 * Append-only record of state changes (PKI operations, logins, settings, rollover steps). An entry
 * is durable when {@code append} returns.
 */
public interface AuditLog {
    void append(AuditEntry entry);

    /** Appends several entries with one durable write; they become durable together. */
    void appendAll(List<AuditEntry> entries);

    /** Matching entries, oldest first. */
    List<AuditEntry> list(AuditQuery query);
}
