package org.certwatch.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditLogTest {
    @TempDir
    Path dir;

    @Test
    void appendsListsFiltersAndSurvivesReopen() throws Exception {
        Path file = dir.resolve("audit/audit.log");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (FileAuditLog log = new FileAuditLog(file)) {
            log.append(new AuditEntry(t, "admin", "certificate.issue", "certificate:1", "ok", "console"));
            log.appendAll(List.of(
                    new AuditEntry(t.plusSeconds(1), "bob", "login", "", "refused: bad \"password\"\n", "10.0.0.1"),
                    new AuditEntry(t.plusSeconds(2), "admin", "certificate.revoke", "certificate:1", "ok", "")));
        }
        try (FileAuditLog log = new FileAuditLog(file)) {
            assertEquals(3, log.list(AuditQuery.all()).size());
            List<AuditEntry> certs = log.list(new AuditQuery(null, null, null, "certificate.", null, 0));
            assertEquals(2, certs.size());
            assertEquals("refused: bad \"password\"\n",
                    log.list(new AuditQuery(null, null, "bob", null, null, 0)).get(0).outcome());
            assertEquals("certificate.revoke", log.list(new AuditQuery(null, null, null, null, null, 1)).get(0).action());
        }
    }

    @Test
    void timesAreWrittenToTheMillisecond() throws Exception {
        Path file = dir.resolve("audit/audit.log");
        try (FileAuditLog log = new FileAuditLog(file)) {
            log.append(new AuditEntry(Instant.parse("2026-01-01T00:00:00.123456789Z"), "a", "x", "", "ok", ""));
            log.append(new AuditEntry(Instant.parse("2026-01-01T00:00:01Z"), "a", "y", "", "ok", ""));
            assertEquals(Instant.parse("2026-01-01T00:00:00.123Z"), log.list(AuditQuery.all()).get(0).at());
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("{\"at\":\"2026-01-01T00:00:00.123Z\"", lines.get(0).substring(0, lines.get(0).indexOf(',')));
        assertEquals("{\"at\":\"2026-01-01T00:00:01.000Z\"", lines.get(1).substring(0, lines.get(1).indexOf(',')));
    }

    @Test
    void theLogAndItsFolderAreForTheServiceUserOnly() throws Exception {
        Path file = dir.resolve("audit/audit.log");
        try (FileAuditLog log = new FileAuditLog(file)) {
            log.append(new AuditEntry(Instant.EPOCH, "bob", "login", "", "refused", "10.0.0.1"));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void tornLastLineIsCutOnOpen() throws Exception {
        Path file = dir.resolve("audit.log");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        try (FileAuditLog log = new FileAuditLog(file)) {
            log.append(new AuditEntry(t, "a", "x", "", "ok", ""));
        }
        Files.write(file, "{\"at\":\"2026-01-0".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (FileAuditLog log = new FileAuditLog(file)) {
            log.append(new AuditEntry(t, "b", "y", "", "ok", ""));
            assertEquals(List.of("a", "b"), log.list(AuditQuery.all()).stream().map(AuditEntry::actor).toList());
        }
    }
}
