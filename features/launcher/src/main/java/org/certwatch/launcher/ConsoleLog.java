package org.certwatch.launcher;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Set;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Sends everything the server prints — java.util.logging (which the bundles, FileInstall and the
 * SLF4J bridge use) and plain stdout/stderr — to the console and to {@code log/certwatch.log} in the
 * data folder.
 */
final class ConsoleLog {
    static final String FILE = "log/certwatch.log";
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private ConsoleLog() {
    }

    static void install(Path dataFolder) {
        Path file = dataFolder.resolve(FILE);
        OutputStream logFile;
        try {
            // 0700/0600 from the start: the log names users of failed logins
            Files.createDirectories(file.getParent(), PrivateDataFolder.folderMode());
            logFile = Channels.newOutputStream(FileChannel.open(file, Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(FILE_MODE)));
        } catch (IOException e) {
            throw new LauncherException("cannot open log file " + file + ": " + e.getMessage(), e);
        }
        PrintStream out = new PrintStream(new Tee(new FileOutputStream(java.io.FileDescriptor.out), logFile), true,
                StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new Tee(new FileOutputStream(java.io.FileDescriptor.err), logFile), true,
                StandardCharsets.UTF_8);
        System.setOut(out);
        System.setErr(err);

        Logger root = Logger.getLogger("");
        for (Handler existing : root.getHandlers()) {
            root.removeHandler(existing);
        }
        root.setLevel(Level.INFO);
        Handler handler = new ConsoleHandler() {
            {
                setOutputStream(System.out);
            }
        };
        handler.setLevel(Level.ALL);
        handler.setFormatter(new LineFormatter());
        root.addHandler(handler);
    }

    /** One line per record: time, level, logger, message, and the cause chain on the next lines. */
    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord record) {
            StringBuilder line = new StringBuilder(160)
                    .append(Instant.ofEpochMilli(record.getMillis()))
                    .append(' ').append(levelName(record.getLevel()))
                    .append(" [").append(shortName(record.getLoggerName())).append("] ")
                    .append(formatMessage(record));
            Throwable thrown = record.getThrown();
            if (thrown != null) {
                line.append(": ").append(thrown);
                if (record.getLevel().intValue() >= Level.SEVERE.intValue() || Boolean.getBoolean("certwatch.debug")) {
                    StringWriter trace = new StringWriter();
                    thrown.printStackTrace(new PrintWriter(trace));
                    line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
                }
            }
            return line.append(System.lineSeparator()).toString();
        }

        private static String levelName(Level level) {
            if (level.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (level.intValue() >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (level.intValue() >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return "DEBUG";
        }

        private static String shortName(String loggerName) {
            if (loggerName == null || loggerName.isEmpty()) {
                return "root";
            }
            return loggerName;
        }
    }

    /** Writes every byte to both streams; a failing log file never silences the console. */
    private static final class Tee extends OutputStream {
        private final OutputStream console;
        private final OutputStream file;

        Tee(OutputStream console, OutputStream file) {
            this.console = console;
            this.file = file;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            console.write(b);
            writeFile(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            console.write(b, off, len);
            writeFile(b, off, len);
        }

        private void writeFile(byte[] b, int off, int len) {
            try {
                file.write(b, off, len);
            } catch (IOException ignored) {
                // a full disk must not take the console down with it
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            console.flush();
            try {
                file.flush();
            } catch (IOException ignored) {
                // see writeFile
            }
        }
    }
}
