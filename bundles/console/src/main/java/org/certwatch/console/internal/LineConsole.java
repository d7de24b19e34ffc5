package org.certwatch.console.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.certwatch.commons.persistence.Unavailable;

/**
 * One Gogo session fed line by line from a terminal. The input is decoded as UTF-8 whatever the JVM's
 * default charset: Gogo's own console appends each byte as a char, i.e. reads Latin-1, so
 * {@code All/Zürich} became {@code All/ZÃ¼rich}.
 */
final class LineConsole implements Runnable {
    static final String PROMPT = "g! ";

    private static final Pattern HELP = Pattern.compile("\\s*help(?:\\s+(\\S+))?\\s*");

    private final CommandProcessor processor;
    /** The answer to {@code help} (null) or {@code help NAME}. */
    private final Function<String, String> help;
    private final BufferedReader in;
    private final PrintStream out;
    private volatile boolean closed;

    LineConsole(CommandProcessor processor, Function<String, String> help, InputStream in, PrintStream out) {
        this.processor = processor;
        this.help = help;
        this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        this.out = out;
    }

    @Override
    public void run() {
        // commands get no input of their own: every line typed belongs to the console
        try (CommandSession session = processor.createSession(InputStream.nullInputStream(), out, out)) {
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


    private void prompt() {
        out.print(PROMPT);
        out.flush();
    }
}
