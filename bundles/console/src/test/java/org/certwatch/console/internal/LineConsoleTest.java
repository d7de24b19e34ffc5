package org.certwatch.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.certwatch.commons.console.ConsolePasswords;
import org.certwatch.commons.console.ConsoleWire;
import org.junit.jupiter.api.Test;

class LineConsoleTest {
    /** A command that keeps what it was given. */
    public static final class Recorder {
        final List<String> given = new ArrayList<>();

        public String say(String text) {
            given.add(text);
            return "said " + text;
        }
    }

    /** A command that asks for a new password the way certwatch's commands do. */
    public static final class Asker {
        final List<String> given = new ArrayList<>();

        public String choose(CommandSession session) {
            try {
                given.add(new String(ConsolePasswords.chosen(session, null, "the new password")));
                return "chosen";
            } catch (IllegalArgumentException e) {
                return "refused: " + e.getMessage();
            }
        }

        public String odd() {
            return "a\u0001b\u0002c";
        }
    }

    private static String console(LineConsole.Terminal terminal, String typed, Asker asker) {
        ThreadIOImpl io = new ThreadIOImpl();
        io.start();
        try {
            CommandProcessorImpl processor = new CommandProcessorImpl(io);
            processor.addCommand("test", asker, "choose");
            processor.addCommand("test", asker, "odd");
            ByteArrayOutputStream wire = new ByteArrayOutputStream();
            PrintStream out = new PrintStream(terminal == LineConsole.Terminal.SOCKET ? ConsoleWire.text(wire) : wire,
                    true, StandardCharsets.UTF_8);
            new LineConsole(processor, name -> "help", new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                    out, terminal, wire).run();
            return wire.toString(StandardCharsets.UTF_8);
        } finally {
            io.stop();
        }
    }

    @Test
    void aCommandAsksForAPasswordTwiceAndTheConsoleNeverWritesIt() {
        Asker asker = new Asker();
        String output = console(LineConsole.Terminal.STREAM, "test:choose\nS3cret-1\nS3cret-1\ntest:choose\nA-1\nB-2\n",
                asker);
        assertEquals(List.of("S3cret-1"), asker.given);
        assertTrue(output.contains("the new password: again, to be sure: chosen\n"), output);
        assertTrue(output.contains("refused: the two entries of the new password differ; nothing was changed"), output);
        assertFalse(output.contains("S3cret") || output.contains("A-1") || output.contains("B-2"), output);
    }

    @Test
    void overTheSocketTheClientIsToldWhenToReadALineAndWhenASecret() {
        Asker asker = new Asker();
        String output = console(LineConsole.Terminal.SOCKET, "test:odd\ntest:choose\npw-12345\npw-12345\n", asker);
        assertEquals(List.of("pw-12345"), asker.given);
        assertEquals("g! \u0001a?b?c\ng! \u0001the new password: \u0002again, to be sure: \u0002chosen\ng! \u0001",
                output, "the control bytes a command prints are replaced");
    }

    @Test
    void helpIsTheConsolesOwnAnswer() throws Exception {
        ThreadIOImpl io = new ThreadIOImpl();
        io.start();
        try {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            byte[] typed = "help\n  help certwatch:import \n".getBytes(StandardCharsets.UTF_8);
            new LineConsole(new CommandProcessorImpl(io), name -> "help for " + name, new ByteArrayInputStream(typed),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
            String output = printed.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("help for null\n") && output.contains("help for certwatch:import\n"), output);
        } finally {
            io.stop();
        }
    }

    @Test
    void linesAreReadAndAnswersWrittenAsUtf8() throws Exception {
        ThreadIOImpl io = new ThreadIOImpl();
        io.start();
        try {
            CommandProcessorImpl processor = new CommandProcessorImpl(io);
            Recorder recorder = new Recorder();
            processor.addCommand("test", recorder, "say");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            byte[] typed = "test:say All/Zürich\n\ntest:nosuch\ntest:say ü/€/日本\n".getBytes(StandardCharsets.UTF_8);

            new LineConsole(processor, name -> "help for " + name, new ByteArrayInputStream(typed),
                    new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

            assertEquals(List.of("All/Zürich", "ü/€/日本"), recorder.given);
            String output = printed.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("said All/Zürich\n"), output);
            assertTrue(output.contains("gogo: CommandNotFoundException: Command not found: test:nosuch"), output);
            assertTrue(output.endsWith(LineConsole.PROMPT), output);
        } finally {
            io.stop();
        }
    }
}
