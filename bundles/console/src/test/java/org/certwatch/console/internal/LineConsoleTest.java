package org.certwatch.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
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
