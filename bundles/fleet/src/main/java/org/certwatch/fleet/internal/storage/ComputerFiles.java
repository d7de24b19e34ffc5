package org.certwatch.fleet.internal.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.commons.files.DurableFiles;

/**
 * The computers in {@code fleet/}: {@code computers.json}, a snapshot, and {@code computers.log}, one
 * JSON line per stored change (the computer's whole row), appended and synced before
 * {@link #append} returns, so a change costs one line, not the fleet. When the log outgrows the
 * snapshot it is compacted: renamed to {@code computers.log.old} (appends go on in a new log at
 * once), merged into a new snapshot on this object's thread, then deleted. A crash at any point
 * leaves files that read back to the last stored state: the snapshot, then the old log, then the log,
 * a later row replacing an earlier one (replaying the old log over a snapshot that already holds it
 * changes nothing). A last line without its newline is an append the crash cut short, never
 * acknowledged; it is cut off when the files are read.
 */
final class ComputerFiles implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final int FORMAT = 1;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** Below this the log is never compacted: a small fleet's log is cheaper to read than to rewrite. */
    static final long MIN_COMPACTION_BYTES = 4 << 20;

    private final Path folder;
    private final Path snapshot;
    private final Path log;
    private final Path oldLog;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService compactor;
    private final long minCompactionBytes;
    private FileChannel appender; // guarded by this
    private long logBytes; // guarded by this
    private long snapshotBytes; // guarded by this
    private boolean compacting; // guarded by this

    ComputerFiles(Path folder, long minCompactionBytes) {
        this.folder = folder;
        this.snapshot = folder.resolve("computers.json");
        this.log = folder.resolve("computers.log");
        this.oldLog = folder.resolve("computers.log.old");
        this.minCompactionBytes = minCompactionBytes;
        this.compactor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwatch-fleet-compaction");
            t.setDaemon(true);
            return t;
        });
    }

    /** The stored rows by id, empty when nothing was stored yet; cuts a torn last line off the log. */
    synchronized Optional<ComputersRecord> read() throws IOException {
        if (!Files.exists(snapshot) && !Files.exists(oldLog) && !Files.exists(log)) {
            return Optional.empty();
        }
        Map<Long, ComputerRow> rows = new TreeMap<>();
        long next = readSnapshot(rows);
        if (Files.exists(snapshot)) {
            snapshotBytes = Files.size(snapshot);
        }
        replay(oldLog, rows);
        long valid = replay(log, rows);
        if (Files.exists(log) && Files.size(log) > valid) {
            try (FileChannel c = FileChannel.open(log, StandardOpenOption.WRITE)) {
                c.truncate(valid);
                c.force(true);
            }
        }
        logBytes = valid;
        for (long id : rows.keySet()) {
            next = Math.max(next, id + 1);
        }
        return Optional.of(new ComputersRecord(next, List.copyOf(rows.values())));
    }

    /** Appends the rows (a later one of an id replaces an earlier one); durable when it returns. */
    synchronized void append(Collection<ComputerRow> rows) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(400 * rows.size());
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.setRootValueSeparator(null);
            for (ComputerRow r : rows) {
                ComputerRowJson.write(g, r);
                g.writeRaw('\n');
            }
        }
        FileChannel c = appender();
        ByteBuffer buffer = ByteBuffer.wrap(out.toByteArray());
        while (buffer.hasRemaining()) {
            c.write(buffer);
        }
        c.force(false);
        logBytes += out.size();
        if (!compacting && logBytes > Math.max(minCompactionBytes, 2 * snapshotBytes)) {
            compacting = true;
            if (Files.exists(oldLog)) {
                // left by a crash or a failed compaction: merge it first, rotate at a later append
                compactor.execute(this::compactLogged);
            } else {
                rotate();
            }
        }
    }

    /** The log becomes the old log, merged into the snapshot in the background; appends go to a new log. */
    private void rotate() throws IOException {
        closeAppender();
        Files.move(log, oldLog, StandardCopyOption.ATOMIC_MOVE);
        DurableFiles.fsyncDirectory(folder);
        logBytes = 0;
        compactor.execute(this::compactLogged);
    }

    private void compactLogged() {
        try {
            compact();
        } catch (IOException | RuntimeException e) {
            // the old log stays, is read at the next start and merged at a later append
            LOG.log(Level.WARNING, "cannot compact " + oldLog + ": " + e.getMessage(), e);
            synchronized (this) {
                compacting = false;
            }
        }
    }

    /** Snapshot + old log → new snapshot; only this thread writes the snapshot, appends go on meanwhile. */
    void compact() throws IOException {
        Map<Long, ComputerRow> rows = new TreeMap<>();
        long next = readSnapshot(rows);
        replay(oldLog, rows);
        for (long id : rows.keySet()) {
            next = Math.max(next, id + 1);
        }
        byte[] bytes = encodeSnapshot(next, rows.values());
        DurableFiles.write(snapshot, bytes, true);
        Files.deleteIfExists(oldLog);
        DurableFiles.fsyncDirectory(folder);
        synchronized (this) {
            snapshotBytes = bytes.length;
            compacting = false;
        }
    }

    /** Replays a log's complete lines into {@code rows}; the length of those lines. */
    private long replay(Path file, Map<Long, ComputerRow> rows) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] bytes = Files.readAllBytes(file);
        int start = 0;
        int line = 1;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            try {
                ComputerRow r = ComputerRowJson.read(json.readTree(bytes, start, i - start));
                rows.put(r.id(), r);
            } catch (IOException | RuntimeException e) {
                throw new IOException(file + " line " + line + " is not a computer: " + e.getMessage(), e);
            }
            start = i + 1;
            line++;
        }
        return start;
    }

    /**
     * Reads the snapshot's rows into {@code rows}, one at a time (a tree of the whole file would take
     * several times its size in heap); its next computer id, 1 without a snapshot.
     */
    private long readSnapshot(Map<Long, ComputerRow> rows) throws IOException {
        if (!Files.exists(snapshot)) {
            return 1;
        }
        long next = 1;
        int format = 0;
        try (JsonParser p = json.getFactory().createParser(snapshot.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException(snapshot + " is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("format")) {
                    format = p.getIntValue();
                } else if (field.equals("nextComputerId")) {
                    next = p.getLongValue();
                } else if (field.equals("computers") && value == JsonToken.START_ARRAY) {
                    if (format != FORMAT) {
                        throw new IOException(snapshot + ": unknown format " + format + " (this version reads " + FORMAT + ")");
                    }
                    while (p.nextToken() == JsonToken.START_OBJECT) {
                        ComputerRow r = ComputerRowJson.read(json.readTree(p));
                        rows.put(r.id(), r);
                    }
                } else {
                    p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(snapshot + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (format != FORMAT) {
            throw new IOException(snapshot + ": unknown format " + format + " (this version reads " + FORMAT + ")");
        }
        return next;
    }

    private byte[] encodeSnapshot(long next, Collection<ComputerRow> rows) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 400 * rows.size());
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeNumberField("nextComputerId", next);
            g.writeArrayFieldStart("computers");
            for (ComputerRow r : rows) {
                ComputerRowJson.write(g, r);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private FileChannel appender() throws IOException {
        if (appender == null) {
            boolean created = !Files.exists(log);
            Files.createDirectories(folder);
            appender = FileChannel.open(log, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND), PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            if (created) {
                DurableFiles.fsyncDirectory(folder);
            }
        }
        return appender;
    }

    private void closeAppender() throws IOException {
        if (appender != null) {
            appender.close();
            appender = null;
        }
    }

    /** Waits for a compaction under way and closes the log. */
    @Override
    public void close() {
        compactor.shutdown();
        try {
            compactor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            try {
                closeAppender();
            } catch (IOException e) {
                LOG.fine("closing " + log + ": " + e.getMessage());
            }
        }
    }
}
