package org.certwatch.audit.internal;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditLog;
import org.certwatch.api.audit.AuditQuery;

/**
 * Appends audit entries as JSON lines and makes them durable with group commit: concurrent callers
 * queue their lines, one of them (the leader) writes everything queued and fsyncs once, and every
 * caller returns once its line is on disk. No thread of its own, so nothing to stop but the file.
 * A torn last line (crash mid-write) is cut off on open, so later lines never follow garbage.
 */
public final class FileAuditLog implements AuditLog, Closeable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.audit");
    private static final Set<PosixFilePermission> FOLDER_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private final Path file;
    private final FileChannel channel;
    private final AuditCodec codec = new AuditCodec();
    private final Object lock = new Object();
    private final ArrayDeque<Batch> queue = new ArrayDeque<>();
    private boolean flushing;
    private boolean closed;

    /** A group of lines that become durable together. */
    private static final class Batch {
        final byte[] bytes;
        boolean done;
        IOException failure;

        Batch(byte[] bytes) {
            this.bytes = bytes;
        }
    }

    public FileAuditLog(Path file) throws IOException {
        this.file = file;
        // 0700/0600 from the start: entries name the users of failed logins
        Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(FOLDER_MODE));
        this.channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(FILE_MODE));
        cutTornTail();
        channel.position(channel.size());
    }

    public Path file() {
        return file;
    }

    private void cutTornTail() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return;
        }
        ByteBuffer one = ByteBuffer.allocate(1);
        long end = size;
        // walk back to the last newline; everything after it is an incomplete line
        while (end > 0) {
            one.clear();
            channel.read(one, end - 1);
            if (one.get(0) == '\n') {
                break;
            }
            end--;
        }
        if (end < size) {
            LOG.warning("audit log " + file + ": dropping an incomplete last line (" + (size - end)
                    + " bytes) left by a crash");
            channel.truncate(end);
            channel.force(true);
        }
    }

    @Override
    public void append(AuditEntry entry) {
        appendAll(List.of(entry));
    }

    @Override
    public void appendAll(List<AuditEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder(entries.size() * 160);
        for (AuditEntry entry : entries) {
            text.append(codec.encode(entry)).append('\n');
        }
        Batch mine = new Batch(text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            commit(mine);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write audit log " + file + ": " + e.getMessage(), e);
        }
    }

    private void commit(Batch mine) throws IOException {
        List<Batch> batch;
        synchronized (lock) {
            if (closed) {
                throw new IOException("audit log is closed");
            }
            queue.add(mine);
            while (flushing && !mine.done) {
                waitUninterruptibly();
            }
            if (mine.done) {
                rethrowIfFailed(mine);
                return;
            }
            flushing = true;
            batch = new ArrayList<>(queue);
            queue.clear();
        }
        IOException failure = null;
        try {
            for (Batch b : batch) {
                ByteBuffer buffer = ByteBuffer.wrap(b.bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(false);
        } catch (IOException e) {
            failure = e;
        }
        synchronized (lock) {
            for (Batch b : batch) {
                b.failure = failure;
                b.done = true;
            }
            flushing = false;
            lock.notifyAll();
        }
        rethrowIfFailed(mine);
    }

    private static void rethrowIfFailed(Batch b) throws IOException {
        if (b.failure != null) {
            throw b.failure;
        }
    }

    private void waitUninterruptibly() {
        try {
            lock.wait();
        } catch (InterruptedException e) {
            // the durable write is already under way; finish it, keep the interrupt for the caller
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<AuditEntry> list(AuditQuery query) {
        ArrayDeque<AuditEntry> result = new ArrayDeque<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                AuditEntry entry = codec.decode(line);
                if (entry != null && query.matches(entry)) {
                    result.addLast(entry);
                    if (query.limit() > 0 && result.size() > query.limit()) {
                        result.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read audit log " + file + ": " + e.getMessage(), e);
        }
        return List.copyOf(result);
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            closed = true;
            while (flushing) {
                waitUninterruptibly();
            }
        }
        channel.close();
    }
}
