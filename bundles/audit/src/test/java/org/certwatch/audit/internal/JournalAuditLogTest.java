package org.certwatch.audit.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.testing.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalAuditLogTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private final MemoryPersistence backend = new MemoryPersistence();
    private final JournalAuditLog a = new JournalAuditLog(backend.server("a"));
    private final JournalAuditLog b = new JournalAuditLog(backend.server("b"));

    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        backend.close();
    }

    @Test
    void entriesOfEveryServerAreInOneLogInOrder() {
        a.append(new AuditEntry(T, "admin", "certificate.issue", "certificate:1", "ok", "10.0.0.1"));
        b.appendAll(List.of(new AuditEntry(T.plusSeconds(1), "bob", "login", "", "refused: bad \"password\"\n", ""),
                new AuditEntry(T.plusSeconds(2), "admin", "certificate.revoke", "certificate:1", "ok", "")));

        for (JournalAuditLog server : List.of(a, b)) {
            assertEquals(List.of("certificate.issue", "login", "certificate.revoke"),
                    server.list(AuditQuery.all()).stream().map(AuditEntry::action).toList());
            assertEquals("refused: bad \"password\"\n",
                    server.list(new AuditQuery(null, null, "bob", null, null, 0)).get(0).outcome());
            assertEquals(List.of("certificate.revoke"), server.list(new AuditQuery(null, null, null, null, null, 1))
                    .stream().map(AuditEntry::action).toList());
        }
    }

    /** Moving between backends is a copy: each record is the file's line without its newline. */
    @Test
    void recordsAreTheLinesTheFileLogWrites() throws Exception {
        List<AuditEntry> entries = List.of(new AuditEntry(T, "admin", "ca.create", "ca:1", "ok", ""),
                new AuditEntry(T.plusMillis(5), "ü", "login", "", "ok", "::1"));
        Path file = dir.resolve("audit/audit.log");
        try (FileAuditLog log = new FileAuditLog(file)) {
            log.appendAll(entries);
        }
        a.appendAll(entries);
        List<byte[]> records = new ArrayList<>();
        backend.server("a").journal(JournalAuditLog.NAME).read(0, (position, record) -> records.add(record));
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(lines.size(), records.size());
        for (int i = 0; i < lines.size(); i++) {
            assertArrayEquals(lines.get(i).getBytes(StandardCharsets.UTF_8), records.get(i));
        }
    }

    @Test
    void anUnreachableBackendRefusesTheAppendAndKeepsNothingOfIt() {
        a.append(new AuditEntry(T, "admin", "ca.create", "ca:1", "ok", ""));
        backend.setAvailable(false);
        assertThrows(StorageUnavailableException.class,
                () -> b.append(new AuditEntry(T, "admin", "ca.delete", "ca:1", "ok", "")));
        assertThrows(StorageUnavailableException.class, () -> b.list(AuditQuery.all()));
        backend.setAvailable(true);
        assertEquals(List.of("ca.create"), b.list(AuditQuery.all()).stream().map(AuditEntry::action).toList());
    }
}
