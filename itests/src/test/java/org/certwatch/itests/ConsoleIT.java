package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: the console on a real terminal, started by a caller in the POSIX locale, reads what
 * is typed as UTF-8 and opens paths with non-ASCII names; the JSON API shows what it stored.
 */
class ConsoleIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void nonAsciiGroupsAndPathsTypedInAPosixLocale() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("console").env("CERTWATCH_ADMIN_PASSWORD",
                "admin-password")) {
            // the caller's locale is POSIX: empty LC_* count as unset
            server.env("LANG", "C").env("LC_ALL", "").env("LC_CTYPE", "");
            Path folder = Files.createDirectories(server.data().resolveSibling("Zürich certs"));
            WebClient.run(folder, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "zürich.key", "-out", "zürich.pem", "-subj", "/CN=zuerich.example", "-days",
                    "30");
            server.startOnTerminal();
            server.awaitLog(line -> line.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);

            type(server, "certwatch:group-add All/Zürich", "created group All/Zürich ");
            type(server, "certwatch:import \"" + folder.resolve("zürich.pem") + "\"", "imported certificate ");

            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), server.data().getParent());
            List<String> groups = new ArrayList<>();
            for (JsonNode g : items(web, "/api/v1/groups")) {
                groups.add(g.get("path").asText());
            }
            assertTrue(groups.contains("All/Zürich"), groups.toString());
            List<String> subjects = new ArrayList<>();
            for (JsonNode c : items(web, "/api/v1/certificates?limit=1000")) {
                subjects.add(c.get("subject").asText());
            }
            assertTrue(subjects.contains("CN=zuerich.example"), subjects.toString());
        }
    }

    /**
     * Types a command until it answers {@code expected}: the bundles register their commands after
     * "certwatch ready", so a first attempt may meet "Command not found". Any other answer fails.
     */
    private static void type(CertwatchServer server, String command, String expected) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            int before = server.output().size();
            server.type(command);
            CertwatchServer.await("an answer to " + command, WAIT, () -> server.output().stream().skip(before)
                    .anyMatch(l -> l.contains(expected) || l.contains("gogo:") || l.contains("refused:")));
            List<String> answers = server.output().stream().skip(before).toList();
            if (answers.stream().anyMatch(l -> l.contains(expected))) {
                return;
            }
            if (answers.stream().noneMatch(l -> l.contains("CommandNotFoundException")) || System.nanoTime() > deadline) {
                throw new AssertionError(command + " answered:\n" + String.join("\n", answers));
            }
        }
    }

    private static JsonNode items(WebClient web, String path) throws Exception {
        WebClient.Reply reply = web.get(path, "Authorization", WebClient.basic("admin"));
        assertEquals(200, reply.status(), reply.body());
        return JSON.readTree(reply.body()).get("items");
    }
}
