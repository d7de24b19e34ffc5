package org.certwatch.store.internal.persist;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Append-only log of transactions, made durable with group commit.
 *
 * <p>Record framing: {@code int length, int crc32c(payload), payload}. Every appended payload is
 * queued; a writer thread owned by the journal writes whatever is queued and fsyncs once for the
 * whole batch, then completes the callers' futures. A transaction counts only once its future is
 * complete. On open, the first record whose frame is incomplete or whose checksum fails marks the
 * torn tail of a crash: it and everything after it is cut off, so new records never follow garbage.
 */
public final class Journal implements Closeable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");
    static final int MAX_RECORD = 64 << 20;
    private static final int MAX_BATCH_BYTES = 8 << 20;

    private final Path file;
    private final FileChannel channel;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closing;
    private long end;

    private record Pending(byte[] payload, CompletableFuture<Long> done) {
    }

    /** Receives each intact record on open, with the file position of its payload. */
    public interface Replay {
        void record(long payloadPosition, byte[] payload) throws IOException;
    }

    private Journal(Path file, FileChannel channel, long end) {
        this.file = file;
        this.channel = channel;
        this.end = end;
        this.writer = new Thread(this::writeLoop, "certwatch-store-journal");
        writer.setDaemon(true);
        writer.start();
    }

    /** Opens (creating if absent) and replays the journal, cutting off a torn tail. */
    public static Journal open(Path file, Replay replay) throws IOException {
        FileChannel channel = FileChannel.open(file,
                Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            long intact = replay(channel, replay);
            long size = channel.size();
            if (intact < size) {
                LOG.warning("journal " + file + ": cutting off " + (size - intact)
                        + " bytes of an incomplete last write (crash); no acknowledged change is lost");
                channel.truncate(intact);
                channel.force(true);
            }
            channel.position(intact);
            return new Journal(file, channel, intact);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Replays the intact records of a journal without opening it for writing: a torn tail stays as it is and no
     * file is created (a migration reads a stopped store and changes nothing).
     */
    public static void readOnly(Path file, Replay replay) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            replay(channel, replay);
        }
    }

    private static long replay(FileChannel channel, Replay replay) throws IOException {
        long size = channel.size();
        long position = 0;
        InputStream raw = new BufferedInputStream(Channels.newInputStream(channel.position(0)), 1 << 20);
        DataInputStream in = new DataInputStream(raw);
        CRC32C crc = new CRC32C();
        while (position + 8 <= size) {
            int length;
            int checksum;
            try {
                length = in.readInt();
                checksum = in.readInt();
            } catch (EOFException e) {
                break;
            }
            if (length <= 0 || length > MAX_RECORD || position + 8 + length > size) {
                break;
            }
            byte[] payload = new byte[length];
            try {
                in.readFully(payload);
            } catch (EOFException e) {
                break;
            }
            crc.reset();
            crc.update(payload);
            if ((int) crc.getValue() != checksum) {
                break;
            }
            replay.record(position + 8, payload);
            position += 8 + length;
        }
        return position;
    }

    /** Queues a transaction; the future completes with its payload position once it is durable. */
    public CompletableFuture<Long> append(byte[] payload) {
        if (payload.length == 0 || payload.length > MAX_RECORD) {
            throw new IllegalArgumentException("journal record of " + payload.length + " bytes");
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        if (closing) {
            done.completeExceptionally(new IOException("journal " + file + " is closed"));
            return done;
        }
        queue.add(new Pending(payload, done));
        return done;
    }

    /** Reads bytes back from a durable record (positional read, safe from any thread). */
    public byte[] read(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("journal " + file + " ends before " + (position + length));
            }
        }
        return buffer.array();
    }

    public Path file() {
        return file;
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        CRC32C crc = new CRC32C();
        while (true) {
            batch.clear();
            try {
                Pending first = queue.take();
                if (first.payload == null) {
                    return;
                }
                batch.add(first);
            } catch (InterruptedException e) {
                return;
            }
            int bytes = batch.get(0).payload.length;
            Pending next;
            boolean stop = false;
            while (bytes < MAX_BATCH_BYTES && (next = queue.poll()) != null) {
                if (next.payload == null) {
                    stop = true;
                    break;
                }
                batch.add(next);
                bytes += next.payload.length;
            }
            writeBatch(batch, crc);
            if (stop) {
                return;
            }
        }
    }

    private void writeBatch(List<Pending> batch, CRC32C crc) {
        long start = end;
        try {
            int total = 0;
            for (Pending p : batch) {
                total += 8 + p.payload.length;
            }
            ByteBuffer buffer = ByteBuffer.allocate(total);
            long[] positions = new long[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                byte[] payload = batch.get(i).payload;
                crc.reset();
                crc.update(payload);
                buffer.putInt(payload.length).putInt((int) crc.getValue());
                positions[i] = start + buffer.position();
                buffer.put(payload);
            }
            buffer.flip();
            while (buffer.hasRemaining()) {
                channel.write(buffer, start + buffer.position());
            }
            channel.force(false);
            end = start + total;
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done.complete(positions[i]);
            }
        } catch (IOException | RuntimeException e) {
            // the batch may be partly on disk: cut it off so that what is there stays a clean prefix
            try {
                channel.truncate(start);
            } catch (IOException ignored) {
                // the next open cuts the torn tail instead
            }
            // the admin needs the file (and the cause, e.g. "No space left on device") to act on it
            String message = "journal " + file + " not written: " + e.getMessage();
            LOG.severe(message + "; " + batch.size() + " change(s) refused, nothing of them stored");
            for (Pending p : batch) {
                p.done.completeExceptionally(new IOException(message, e));
            }
        }
    }

    /** Writes out what is queued, stops the writer thread and closes the file. */
    @Override
    public void close() throws IOException {
        closing = true;
        queue.add(new Pending(null, null));
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending late;
        while ((late = queue.poll()) != null) {
            if (late.done != null) {
                late.done.completeExceptionally(new IOException("journal " + file + " is closed"));
            }
        }
        channel.close();
    }
}
