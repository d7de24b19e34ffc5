package org.certwatch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent program's start: secrets never from the command line, and every failure one line (exit 2 in main). */
class AgentMainTest {
    static final String TOKEN = "cwt1.7.c2VjcmV0." + "AB".repeat(32);

    @TempDir
    Path dir;

    private String[] args(int port, String... more) {
        String[] base = {"--server", "127.0.0.1:" + port, "--data", dir.resolve("data").toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aTokenOnTheCommandLineIsRefused() {
        AgentMain.Failure f = assertThrows(AgentMain.Failure.class,
                () -> AgentMain.parse(args(1, "--token", TOKEN), Map.of()));
        assertTrue(f.getMessage().contains("--token-file FILE") && f.getMessage().contains("CERTWATCH_ENROLMENT_TOKEN"),
                f.getMessage());
        assertTrue(f.usage);
    }

    @Test
    void theTokenComesFromItsFileOrElseTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  " + TOKEN + "\n");
        assertEquals(TOKEN, AgentMain.parse(args(1, "--token-file", file.toString()),
                Map.of("CERTWATCH_ENROLMENT_TOKEN", "other")).token());
        assertEquals("from-env", AgentMain.parse(args(1), Map.of("CERTWATCH_ENROLMENT_TOKEN", "from-env")).token());
        AgentMain.Failure missing = assertThrows(AgentMain.Failure.class,
                () -> AgentMain.parse(args(1, "--token-file", dir.resolve("nope").toString()), Map.of()));
        assertTrue(missing.getMessage().startsWith("cannot read the enrolment token from "), missing.getMessage());
    }

    @Test
    void aMalformedTokenIsOneLine() throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "not-a-token\n");
        AgentMain.Failure f = assertThrows(AgentMain.Failure.class,
                () -> AgentMain.run(AgentMain.parse(args(closedPort(), "--token-file", file.toString()), Map.of())));
        assertEquals("malformed enrolment token (expected cwt1.<id>.<secret>.<CA fingerprint>)", f.getMessage());
    }

    @Test
    void noServerIsOneLineNamingTheAddress() throws Exception {
        int port = closedPort();
        AgentMain.Failure f = assertThrows(AgentMain.Failure.class,
                () -> AgentMain.run(AgentMain.parse(args(port), Map.of("CERTWATCH_ENROLMENT_TOKEN", TOKEN))));
        assertTrue(f.getMessage().startsWith("cannot reach the server at 127.0.0.1:" + port + ": "), f.getMessage());
        assertTrue(!f.getMessage().contains("\n") && !f.usage, f.getMessage());
    }

    @Test
    void aBadPortIsAUsageError() {
        AgentMain.Failure f = assertThrows(AgentMain.Failure.class,
                () -> AgentMain.parse(new String[] {"--server", "host:http", "--data", "d"}, Map.of()));
        assertEquals("--server's port must be a whole number, not 'http'", f.getMessage());
    }
}
