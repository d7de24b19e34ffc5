package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 14 item 6: the console on a real terminal, started by a caller in the POSIX locale, reads what
 * is typed as UTF-8 and opens paths with non-ASCII names; the JSON API shows what it stored. Issue 18: a
 * password is typed without echo, on the server's terminal and on {@code certwatch console}'s, twice for a
 * new one; it is in no output, log or file; an argument password and a password file others can read are refused.
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
            // issue 18: the console renames a group too
            type(server, "certwatch:group-rename All/Zürich Genf", "renamed group All/Zürich to All/Genf (genf)");
            String renamed = items(web, "/api/v1/groups").toString();
            assertTrue(renamed.contains("\"All/Genf\"") && !renamed.contains("Zürich"), renamed);

            passwordsAreTypedWithoutEcho(server, web);
        }
    }

    private static void passwordsAreTypedWithoutEcho(CertwatchServer server, WebClient web) throws Exception {
        // the pseudo-terminal echoes what is typed into the server's output, unless the echo is off
        type(server, "certwatch:user-add carol All CERTIFICATES_READ", null);
        awaitPrompt(server, "carol's password: ");
        server.type("carol-password");
        awaitPrompt(server, "again, to be sure: ");
        typeSecret(server, "carol-password", "created user carol");
        assertEquals(200, web.get("/api/v1/certificates", "Authorization", WebClient.basic("carol")).status());

        type(server, "certwatch:user-password carol", null);
        awaitPrompt(server, "carol's new password: ");
        server.type("Mistyped-1");
        awaitPrompt(server, "again, to be sure: ");
        typeSecret(server, "Mistyped-2", "refused: the two entries of carol's new password differ; nothing was changed");
        type(server, "certwatch:user-password carol Typed-As-Argument-1",
                "refused: the password is not taken as an argument (it would stay on the screen and in the console's"
                        + " history): leave it out to be asked for it (no echo), or give --password-file FILE");
        Path open = server.passwordFile("Readable-By-All-1");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        type(server, "certwatch:user-password carol --password-file " + open, "refused: " + open
                + " is open to other users (mode 0644): a password file must be its owner's only; chmod 600 " + open);
        Path missing = open.resolveSibling("no-such-file");
        type(server, "certwatch:user-password carol --password-file " + missing,
                "refused: " + missing + ": no such password file (--password-file)");
        assertEquals(200, web.get("/api/v1/certificates", "Authorization", WebClient.basic("carol")).status(),
                "none of those changed the password");

        // certwatch console attached from another terminal: its echo goes off for the password too
        ProcessBuilder b = new ProcessBuilder("script", "-qfec", "'" + server.home().resolve("bin/certwatch") + "' console",
                "/dev/null").redirectErrorStream(true);
        b.environment().put("CERTWATCH_DATA", server.data().toString());
        Process attached = b.start();
        StringBuffer screen = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (InputStreamReader in = new InputStreamReader(attached.getInputStream(), StandardCharsets.UTF_8)) {
                int c;
                while ((c = in.read()) >= 0) {
                    screen.append((char) c);
                }
            } catch (IOException ended) {
                // the console detached
            }
        });
        reader.setDaemon(true);
        reader.start();
        try (OutputStream typing = attached.getOutputStream()) {
            awaitScreen(screen, "g! ");
            for (String[] step : new String[][] {{"certwatch:user-password carol", "carol's new password: "},
                    {"Attached-Secret-7", "again, to be sure: "}, {"Attached-Secret-7", "password of carol set"}}) {
                typing.write((step[0] + "\n").getBytes(StandardCharsets.UTF_8));
                typing.flush();
                awaitScreen(screen, step[1]);
            }
            typing.write(4); // Ctrl-D: end of input, the console detaches
            typing.flush();
            assertTrue(attached.waitFor(60, TimeUnit.SECONDS), "detached at the end of input: " + screen);
        } finally {
            attached.destroyForcibly();
        }
        assertTrue(screen.toString().contains("certwatch:user-password carol"), "a command line is echoed: " + screen);
        assertFalse(screen.toString().contains("Attached-Secret-7"), "the password is not: " + screen);
        String carol = "Basic " + Base64.getEncoder().encodeToString("carol:Attached-Secret-7".getBytes(StandardCharsets.UTF_8));
        assertEquals(200, web.get("/api/v1/certificates", "Authorization", carol).status(), "the new password works");

        assertTrue(server.output().stream().anyMatch(l -> l.contains("Typed-As-Argument-1")),
                "the terminal echoes what is typed with the echo on: the checks below would see a password");
        List<String> secrets = List.of("carol-password", "Mistyped-1", "Mistyped-2", "Attached-Secret-7");
        for (String secret : secrets) {
            assertTrue(server.output().stream().noneMatch(l -> l.contains(secret)), secret + " is on the terminal");
        }
        for (Path folder : List.of(server.data(), server.etc())) {
            try (Stream<Path> files = Files.walk(folder)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                    for (String secret : secrets) {
                        assertFalse(bytes.contains(secret), f + " holds " + secret + " in clear");
                    }
                }
            }
        }
    }

    /** Waits until the terminal shows a prompt that waits for input (no line ends it). */
    private static void awaitPrompt(CertwatchServer server, String prompt) {
        CertwatchServer.await("the prompt '" + prompt + "'", WAIT, () -> server.pendingLine().endsWith(prompt));
    }

    /** A line typed while the echo is off; waits for {@code expected} after it. */
    private static void typeSecret(CertwatchServer server, String secret, String expected) throws Exception {
        int before = server.output().size();
        server.type(secret);
        CertwatchServer.await("'" + expected + "' after a password", WAIT, () -> server.output().stream().skip(before)
                .anyMatch(l -> l.contains(expected)));
    }

    private static void awaitScreen(StringBuffer screen, String text) {
        CertwatchServer.await("'" + text + "' on the attached console", WAIT, () -> screen.toString().contains(text));
    }

    /**
     * Types a command until it answers {@code expected}: the bundles register their commands after
     * "certwatch ready", so a first attempt may meet "Command not found". Any other answer fails.
     */
    private static void type(CertwatchServer server, String command, String expected) throws Exception {
        if (expected == null) {
            // a command that asks for a password next: its prompt ends no line (awaitPrompt)
            server.type(command);
            return;
        }
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
