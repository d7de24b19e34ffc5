package org.certwatch.audit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.persistence.Journal;
import org.certwatch.commons.persistence.StateCopy;
import org.certwatch.commons.persistence.StateSide;
import org.certwatch.commons.persistence.Tally;

/**
 * The audit log's part of a migration: the entries of {@code audit/audit.log} (its lines, a torn last line left out as
 * the log itself does) or of the journal {@value JournalAuditLog#NAME}, the same JSON either way.
 */
public final class AuditCopy implements StateCopy {
    private static final int CHUNK = 5_000;
    private final AuditCodec codec = new AuditCodec();

    @Override
    public String part() {
        return "audit";
    }

    @Override
    public List<Tally> tally(StateSide side) throws Exception {
        return List.of(Tally.of("audit entries", records(side)));
    }

    @Override
    public void copy(StateSide from, StateSide to) throws Exception {
        List<byte[]> records = records(from);
        if (records.isEmpty()) {
            return;
        }
        if (to.files()) {
            try (FileAuditLog log = new FileAuditLog(file(to))) {
                for (int i = 0; i < records.size(); i += CHUNK) {
                    List<AuditEntry> entries = new ArrayList<>(CHUNK);
                    for (byte[] r : records.subList(i, Math.min(records.size(), i + CHUNK))) {
                        entries.add(codec.decode(new String(r, StandardCharsets.UTF_8)));
                    }
                    log.appendAll(entries);
                }
            }
        } else {
            Journal journal = to.persistence().journal(JournalAuditLog.NAME);
            for (int i = 0; i < records.size(); i += CHUNK) {
                journal.append(records.subList(i, Math.min(records.size(), i + CHUNK)));
            }
        }
    }

    private static Path file(StateSide side) {
        return side.data().resolve("audit").resolve("audit.log");
    }

    /** Read only: opening a {@link FileAuditLog} would cut a torn tail off the source. */
    private List<byte[]> records(StateSide side) throws Exception {
        List<byte[]> records = new ArrayList<>();
        if (side.files()) {
            Path file = file(side);
            if (Files.exists(file)) {
                try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        if (codec.decode(line) != null) {
                            records.add(line.getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        } else {
            side.persistence().journal(JournalAuditLog.NAME).read(0, (position, record) -> records.add(record));
        }
        return records;
    }
}
