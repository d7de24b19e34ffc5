package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: {@code certwatch console} attaches to a server that runs without a terminal, over the 0600
 * socket in its data folder; {@code help} lists every command with its usage; a script pipes a password on
 * the line after its command, never as an argument.
 */
class ConsoleAttachIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private record Session(int exit, String output) {
    }

    private static Session run(CertwatchServer server, Path data, String typed) throws Exception {
        ProcessBuilder b = new ProcessBuilder(server.home().resolve("bin/certwatch").toString(), "console")
                .redirectErrorStream(true);
        b.environment().put("CERTWATCH_DATA", data.toString());
        Process p = b.start();
        p.getOutputStream().write(typed.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the console detaches at the end of input");
        return new Session(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void attachesOverTheSocketAndHelpListsEveryCommandWithItsUsage() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("console-attach")) {
            Session none = run(server, server.data(), "help\n");
            assertEquals(2, none.exit(), none.output());
            assertTrue(none.output().startsWith("certwatch console: no server is running on "), none.output());

            server.startAndAwaitReady();
            Path socket = server.data().resolve("console.sock");
            assertEquals("600", WebClient.run(server.data().getParent(), "stat", "-c", "%a", socket.toString()).strip());
            if (System.getProperty("user.name").equals("root")) {
                // (CI runs as root) another user is kept out by the 0700 folder, and told so, not "no server"
                ProcessBuilder other = new ProcessBuilder("runuser", "-u", "nobody", "--", "env", "CERTWATCH_DATA=" + server.data(),
                        server.home().resolve("bin/certwatch").toString(), "console").redirectErrorStream(true);
                Process p = other.start();
                p.getOutputStream().close();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
                String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(2, p.exitValue(), said);
                assertTrue(said.startsWith("certwatch console: cannot reach " + socket + ": permission denied"), said);
            }
            String[] answer = {""};
            CertwatchServer.await("help lists the fleet's and the store's commands", WAIT, () -> {
                try {
                    Session s = run(server, server.data(), "help\nhelp certwatch:import\ncertwatch:groups\n");
                    answer[0] = s.exit() + " " + s.output();
                    return s.exit() == 0 && s.output().contains("certwatch:user-add  user-add NAME GROUP")
                            && s.output().contains("certwatch:import  import: import FILE");
                } catch (Exception e) {
                    answer[0] = e.toString();
                    return false;
                }
            });
            String output = answer[0];
            assertTrue(output.contains("certwatch:enrol-token  enrol-token GROUP [USES] [HOURS]"), output);
            assertTrue(output.contains("certwatch:ca-create  ca-create SUBJECT"), output);
            assertTrue(output.contains("certwatch:endpoints  endpoints add HOST PORT [sni=NAME]"), output);
            assertTrue(output.contains("certwatch:rollover-advance  rollover-advance ID [FROM]: the next step"), output);
            assertTrue(output.contains(" commands; 'help NAME' shows one"), output);
            assertTrue(output.contains("All ("), "a command runs too: " + output);
            assertTrue(output.contains("certwatch:user-add  user-add NAME GROUP PERMS|all|none [--password-file F]"), output);
            assertTrue(output.contains("certwatch:rekey  re-encrypt every private key under a new password: rekey"
                    + " [--password-file F]"), output);
            assertTrue(output.contains("certwatch:export  export: export ID|ca:ID pem|der|chain|p12|crl|crl-pem FILE"
                    + " [--password-file F]"), output);

            // piped input has no terminal to turn the echo off on: the lines after the command are its password
            Session piped = run(server, server.data(), "certwatch:user-add dave All none\nDave-Secret-1\nDave-Secret-1\n"
                    + "certwatch:user-password dave Dave-Argument-2\n");
            assertEquals(0, piped.exit(), piped.output());
            assertTrue(piped.output().contains("dave's password: again, to be sure: created user dave"), piped.output());
            assertTrue(piped.output().contains("refused: the password is not taken as an argument"), piped.output());
            assertFalse(piped.output().contains("Dave-Secret-1"), "never written back: " + piped.output());
            assertFalse(piped.output().contains("\u0001") || piped.output().contains("\u0002"),
                    "the client keeps the control bytes to itself");
            assertTrue(server.process().isAlive(), "detaching leaves the server running");
        }
    }
}
