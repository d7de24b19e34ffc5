package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * The data folder holds the user names of failed logins (audit and server log), keys and the store:
 * for the service user only. The real distribution starts on an installation made before that
 * (folder 0755, a log 0644), is sent a failed login, and {@code stat} and {@code find} look.
 */
class DataFolderIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void theDataFolderAndItsLogsAreForTheServiceUserOnly() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("datafolder")) {
            Path data = Files.createDirectories(server.data().resolve("log")).getParent();
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.setPosixFilePermissions(data.resolve("log"), PosixFilePermissions.fromString("rwxr-xr-x"));
            Path oldLog = Files.writeString(data.resolve("log/certwatch.log"), "an earlier run\n");
            Files.setPosixFilePermissions(oldLog, PosixFilePermissions.fromString("rw-r--r--"));

            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);
            assertTrue(server.logContains(line -> line.contains("took group and others' permissions off 3 files")),
                    "the start corrects the existing installation and says so");
            String status = WebClient.run(data.getParent(), "curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}",
                    "-u", "mallory:wrong-password", "https://127.0.0.1:" + server.env("CERTWATCH_HTTPS_PORT") + "/api/v1/certificates");
            assertEquals("401", status);
            Path audit = data.resolve("audit/audit.log");
            CertwatchServer.await("the failed login in the audit log", WAIT,
                    () -> Files.exists(audit) && MonitorControl.readOrEmpty(audit).contains("mallory"));

            assertEquals("700", WebClient.run(data.getParent(), "stat", "-c", "%a", data.toString()).strip());
            assertEquals("600", WebClient.run(data.getParent(), "stat", "-c", "%a", audit.toString()).strip());
            assertEquals("600", WebClient.run(data.getParent(), "stat", "-c", "%a",
                    data.resolve("log/certwatch.log").toString()).strip());
            // every file and folder under it: nothing for group or others
            assertEquals("", WebClient.run(data.getParent(), "find", data.toString(), "-perm", "/077",
                    "-printf", "%m %p\\n").strip(), "entries readable by group or others");
        }
    }
}
