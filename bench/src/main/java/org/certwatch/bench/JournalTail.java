package org.certwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every notice the monitor created, read from its outbox journal ({@code monitor/journal.log}) as it
 * grows. The monitor compacts the journal on every start (a redeploy too) by replacing the file, which
 * drops delivered notices: the tail keeps the old file open and reads it to its end before it follows
 * the new one, so nothing written before the replacement is missed.
 */
final class JournalTail {
    /** A notice as the monitor journalled it: the channels it must reach, when the soak first read it. */
    record Created(String id, List<String> channels, Instant seen) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final Map<String, Created> notices = new LinkedHashMap<>();
    private FileChannel open;
    private Object openKey;
    private final StringBuilder partial = new StringBuilder();
    private long unreadable;

    JournalTail(Path file) {
        this.file = file;
    }

    /** Reads what was appended since the last call (and the rest of a replaced file). */
    synchronized void poll() throws IOException {
        Object key;
        try {
            key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            key = null;
        }
        if (open != null) {
            drain();
            if (key == null || !key.equals(openKey)) {
                open.close();
                open = null;
                partial.setLength(0);
            }
        }
        if (open == null && key != null) {
            try {
                open = FileChannel.open(file);
                openKey = key;
                drain();
            } catch (NoSuchFileException e) {
                open = null; // replaced again between the two calls: the next poll opens it
            }
        }
    }

    private void drain() throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (open.read(buffer) > 0) {
            buffer.flip();
            partial.append(StandardCharsets.UTF_8.decode(buffer));
            buffer.clear();
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                line(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
        }
    }

    private void line(String line) {
        if (line.isBlank()) {
            return;
        }
        try {
            JsonNode m = JSON.readTree(line);
            if (!"add".equals(m.path("op").asText())) {
                return;
            }
            String id = m.path("notice").path("id").asText();
            List<String> channels = new java.util.ArrayList<>();
            m.path("channels").forEach(c -> channels.add(c.asText()));
            // a compacted journal repeats pending notices with the channels still owed: keep the first
            notices.putIfAbsent(id, new Created(id, channels, Instant.now()));
        } catch (IOException e) {
            unreadable++;
        }
    }

    synchronized Map<String, Created> notices() {
        return new LinkedHashMap<>(notices);
    }

    synchronized long unreadable() {
        return unreadable;
    }
}
