package org.certwatch.audit.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;

/**
 * The audit log as a shared {@link Journal} ({@value #NAME}): one record per entry, the JSON line
 * {@link FileAuditLog} writes (without its newline, which is the file's framing), so every server's
 * entries are in one log and moving between backends is a copy. Queries read the journal, as the file
 * log reads its file.
 */
final class JournalAuditLog implements AuditLog {
    static final String NAME = "audit.entries";

    private final Persistence persistence;
    private final AuditCodec codec = new AuditCodec();

    JournalAuditLog(Persistence persistence) {
        this.persistence = persistence;
    }

    /** Looked up per call: an unreachable backend fails that call, not the component's activation. */
    private Journal journal() {
        return persistence.journal(NAME);
    }

    @Override
    public void append(AuditEntry entry) {
        appendAll(List.of(entry));
    }

    /** One transaction for all: durable together when this returns. */
    @Override
    public void appendAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        List<byte[]> records = new ArrayList<>(entries.size());
        for (AuditEntry entry : entries) {
            records.add(codec.encode(entry).getBytes(StandardCharsets.UTF_8));
        }
        journal().append(records);
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        ArrayDeque<AuditEntry> result = new ArrayDeque<>();
        try {
            journal().read(0, (position, record) -> {
                AuditEntry entry = codec.decode(new String(record, StandardCharsets.UTF_8));
                if (entry != null && query.matches(entry)) {
                    result.addLast(entry);
                    if (query.limit() > 0 && result.size() > query.limit()) {
                        result.removeFirst();
                    }
                }
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new StorageUnavailableException("cannot read the audit journal " + NAME + ": " + e.getMessage(), e);
        }
        return List.copyOf(result);
    }
}
