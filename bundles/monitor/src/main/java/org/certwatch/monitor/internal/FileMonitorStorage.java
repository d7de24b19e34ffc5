package org.certwatch.monitor.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.certwatch.commons.files.DurableFiles;

/**
 * The monitor's files: {@code journal.log} (JSON lines, appended and forced per batch, compacted on
 * open) and {@code notifications.json} (replaced atomically on every change).
 */
final class FileMonitorStorage implements MonitorStorage {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor.outbox");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path journal;
    private final Path definitions;
    private FileChannel out;

    FileMonitorStorage(Path folder) {
        this.journal = folder.resolve("journal.log");
        this.definitions = folder.resolve("notifications.json");
    }

    @Override
    @SuppressWarnings("unchecked")
    public void replayJournal(Consumer<Map<String, Object>> apply) throws IOException {
        if (!Files.exists(journal)) {
            return;
        }
        int lineNo = 0;
        try (BufferedReader reader = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> m;
                try {
                    m = JSON.readValue(line, Map.class);
                } catch (IOException e) {
                    // a torn last line after a crash: what it held was never confirmed to anyone
                    LOG.warning("outbox journal " + journal + " line " + lineNo + " unreadable, ignored: "
                            + e.getMessage());
                    continue;
                }
                apply.accept(m);
            }
        }
    }

    @Override
    public synchronized void rewriteJournal(List<Map<String, Object>> records) throws IOException {
        close();
        DurableFiles.write(journal, lines(records), true);
        out = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void appendJournal(List<Map<String, Object>> records) {
        byte[] bytes = lines(records);
        long before = -1;
        try {
            before = out.size();
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                out.write(b);
            }
            out.force(false);
        } catch (IOException e) {
            // a partly written line (disk full) would glue onto the next record and make both unreadable
            if (before >= 0) {
                try {
                    out.truncate(before);
                } catch (IOException ignored) {
                    // the torn line stays; the next open skips it
                }
            }
            throw new UncheckedIOException("outbox journal " + journal + " not written: " + e.getMessage(), e);
        }
    }

    @Override
    public String journalName() {
        return journal.toString();
    }

    @Override
    @SuppressWarnings("unchecked")
    public Optional<Map<String, Object>> readDefinitions() throws IOException {
        if (!Files.exists(definitions)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(definitions.toFile(), Map.class));
        } catch (IOException e) {
            throw new IOException(definitions + " is not valid JSON (" + e.getMessage() + "); fix or restore it", e);
        }
    }

    @Override
    public void writeDefinitions(Map<String, Object> document) {
        try {
            DurableFiles.write(definitions, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(document), false);
        } catch (IOException e) {
            throw new UncheckedIOException("notifications not saved to " + definitions + ": " + e.getMessage(), e);
        }
    }

    private static byte[] lines(List<Map<String, Object>> records) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            for (Map<String, Object> record : records) {
                buffer.write(JSON.writeValueAsBytes(record));
                buffer.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
