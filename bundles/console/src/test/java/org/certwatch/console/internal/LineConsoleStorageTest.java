package org.certwatch.console.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.junit.jupiter.api.Test;

class LineConsoleStorageTest {
    /** A command whose write the database does not take, as a store's would while PostgreSQL is down. */
    public static final class Writer {
        public String write(String what) {
            throw new IllegalStateException("write " + what + " failed",
                    new StorageUnavailableException("PostgreSQL jdbc:postgresql://db:5432/certwatch: cannot connect", null));
        }
    }

    @Test
    void aWriteTheStorageCannotTakeIsOneLineSayingSo() throws Exception {
        ThreadIOImpl io = new ThreadIOImpl();
        io.start();
        try {
            CommandProcessorImpl processor = new CommandProcessorImpl(io);
            processor.addCommand("test", new Writer(), "write");
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            new LineConsole(processor, name -> "help", new ByteArrayInputStream("test:write ca\n".getBytes(
                    StandardCharsets.UTF_8)), new PrintStream(printed, true, StandardCharsets.UTF_8)).run();
            String output = printed.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains(LineConsole.PROMPT + "storage unavailable, nothing was changed; try again later:"
                    + " PostgreSQL jdbc:postgresql://db:5432/certwatch: cannot connect\n" + LineConsole.PROMPT), output);
        } finally {
            io.stop();
        }
    }
}
