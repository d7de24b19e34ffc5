package org.certwatch.console.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.certwatch.commons.console.ConsolePasswords;
import org.certwatch.commons.console.ConsoleWire;
import org.certwatch.commons.unavailable.Unavailable;

/**
 * One Gogo session fed line by line from a terminal. The input is decoded as UTF-8 whatever the JVM's
 * default charset: Gogo's own console appends each byte as a char, i.e. reads Latin-1, so
 * {@code All/Zürich} became {@code All/ZÃ¼rich}. Commands ask for passwords through the session variable
 * {@link ConsolePasswords#SESSION_VARIABLE}; how the echo goes off for them depends on where the console is.
 */
final class LineConsole implements Runnable {
    static final String PROMPT = "g! ";

    /** Where the lines come from, which decides how a secret is read without echo. */
    enum Terminal {
        /** Lines from a stream that echoes nothing (tests, piped input): a secret is the next line. */
        STREAM,
        /** The server's own terminal: {@link java.io.Console#readPassword} turns its echo off. */
        LOCAL,
        /** {@code certwatch console} over the socket: {@link ConsoleWire} tells it when to read and how. */
        SOCKET
    }

    private static final Pattern HELP = Pattern.compile("\\s*help(?:\\s+(\\S+))?\\s*");

    private final CommandProcessor processor;
    /** The answer to {@code help} (null) or {@code help NAME}. */
    private final Function<String, String> help;
    private final BufferedReader in;
    private final PrintStream out;
    private final Terminal terminal;
    /** For {@link Terminal#SOCKET}: the stream under {@code out}, where the control bytes go. */
    private final OutputStream wire;
    private volatile boolean closed;

    LineConsole(CommandProcessor processor, Function<String, String> help, InputStream in, PrintStream out) {
        this(processor, help, in, out, Terminal.STREAM, null);
    }

    LineConsole(CommandProcessor processor, Function<String, String> help, InputStream in, PrintStream out,
            Terminal terminal, OutputStream wire) {
        this.processor = processor;
        this.help = help;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
        this.terminal = terminal;
        this.wire = wire;
    }

    @Override
    public void run() {
        // commands get no input of their own: every line typed belongs to the console
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
            session.put(ConsolePasswords.SESSION_VARIABLE, (Function<String, char[]>) this::secret);
            prompt();
            String line;
            while ((line = in.readLine()) != null && !closed) {
                if (!line.isBlank()) {
                    execute(session, line);
                }
                prompt();
            }
        } catch (IOException e) {
            out.println("console: standard input failed: " + e.getMessage());
        }
    }

    /** Lines typed from now on are not executed; the reader ends with the next line or end of input. */
    void close() {
        closed = true;
    }

    private void execute(CommandSession session, String line) {
        Matcher asked = HELP.matcher(line);
        if (asked.matches()) {
            // ours, not Gogo's: it lists every command, Function services included, with its usage
            out.println(help.apply(asked.group(1)));
            return;
        }
        try {
            Object result = session.execute(line);
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
        } catch (Exception e) {
            out.println(Unavailable.why(e).map(Unavailable::said)
                    .orElseGet(() -> "gogo: " + e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private void prompt() throws IOException {
        out.print(PROMPT);
        mark(ConsoleWire.LINE);
    }

    /**
     * What is typed next, without echo: the password a command asks for. Null at the end of input. Never
     * written anywhere, so it is neither on the screen nor in a transcript or log of the console.
     */
    private char[] secret(String prompt) {
        try {
            java.io.Console console = System.console();
            if (terminal == Terminal.LOCAL && console != null) {
                return console.readPassword("%s", prompt);
            }
            out.print(prompt);
            mark(ConsoleWire.SECRET);
            String line = in.readLine();
            return line == null ? null : line.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mark(int control) throws IOException {
        out.flush();
        if (terminal == Terminal.SOCKET) {
            wire.write(control);
            wire.flush();
        }
    }
}
