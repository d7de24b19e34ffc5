package org.certwatch.store.internal.persist;

import org.certwatch.commons.files.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the admin-readable projections (certificate PEMs, encrypted key PEMs) of committed journal
 * entries, on a thread of its own.
 *
 * <p>Why not on the committing thread: on ext4 every file create waits for the running journal
 * commit, and the store's journal fsyncs continuously under load; measured here, creating files
 * next to a busy fsync drops to about 1,000 files/s, which capped issuance at 500 certificates/s.
 * The journal is the truth (a change counts once it is durable there), the projections follow it
 * shortly after; {@link #drain} waits for them, and a crash before they are written is repaired
 * on the next open. Files are still written to a temporary name and renamed, so none is ever seen
 * half-written. The queue is bounded, so a long bulk load cannot run the heap full.
 */
final class Projector {
    private static final Logger LOG = Logger.getLogger("org.certwatch.store");
    private static final int CAPACITY = 16_384;

    private record Item(Path file, byte[] content, boolean secret) {
    }

    private static final Item STOP = new Item(null, null, false);

    private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final Set<Path> knownFolders = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private final Object idle = new Object();
    private long queued;
    private long written;
    private volatile IOException failure;

    Projector() {
        thread = new Thread(this::run, "certwatch-store-projector");
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a file; blocks while the queue is full (back-pressure on bulk issuance). */
    void write(Path file, byte[] content, boolean secret) {
        synchronized (idle) {
            queued++;
        }
        try {
            queue.put(new Item(file, content, secret));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (idle) {
                queued--;
                idle.notifyAll();
            }
            // not written now; the next unclean open rewrites it from the journal
        }
    }

    /** Writes a file now, on the caller's thread (rare files: CA certificates, repairs). */
    void writeNow(Path file, byte[] content, boolean secret) throws IOException {
        ensureFolder(file.getParent());
        DurableFiles.writeVisible(file, content, secret);
    }

    private void ensureFolder(Path dir) throws IOException {
        if (!knownFolders.contains(dir)) {
            DurableFiles.createDirectories(dir);
            knownFolders.add(dir);
        }
    }

    /** Waits until every queued file is written; throws if one could not be written. */
    void drain() throws IOException {
        synchronized (idle) {
            while (written < queued) {
                try {
                    idle.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing certificate files");
                }
            }
        }
        IOException e = failure;
        if (e != null) {
            failure = null;
            throw e;
        }
    }

    long pending() {
        synchronized (idle) {
            return queued - written;
        }
    }

    private void run() {
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item == STOP) {
                return;
            }
            try {
                writeNow(item.file(), item.content(), item.secret());
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot write " + item.file() + " (the journal keeps it; the next open after"
                        + " a restart rewrites it)", e);
                failure = e instanceof IOException io ? io : new IOException(e);
            }
            synchronized (idle) {
                written++;
                idle.notifyAll();
            }
        }
    }

    /** Writes what is queued, then stops the thread. */
    void close() throws IOException {
        try {
            drain();
        } finally {
            try {
                queue.put(STOP);
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
