package org.certwatch.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.certwatch.testing.CertwatchServer;

/** The monitor's test control bundle ({@code org.certwatch.monitorctl}) and the files its peers write. */
final class MonitorControl {
    private MonitorControl() {
    }

    /** Runs a monitorctl command and returns its answer; a refused command fails the test. */
    static String ctl(CertwatchServer server, String command) {
        String answer = server.probe("org.certwatch.monitorctl", command).orElse("error no monitorctl");
        if (!answer.startsWith("ok")) {
            throw new AssertionError(command + " -> " + answer);
        }
        return answer.substring(2).trim();
    }

    /** A peer's log (a trap receiver's, the audit log) as it is now; empty until it exists. */
    static String readOrEmpty(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
