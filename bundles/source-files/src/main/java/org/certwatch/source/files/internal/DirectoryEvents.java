package org.certwatch.source.files.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * File-system events of the watched folders, forwarded from the thread {@code certwatch-files-events}, which
 * {@link #close()} ends. An overflow, or a folder that cannot be watched (inotify's limit), leaves it to the
 * periodic rescan.
 */
final class DirectoryEvents implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.source.files");

    private final WatchService service;
    private final Set<Path> folders = ConcurrentHashMap.newKeySet();
    private final Thread thread;
    private volatile boolean refused;

    /** {@code changed}: a path in a watched folder; {@code overflow}: events were lost. */
    DirectoryEvents(Consumer<Path> changed, Runnable overflow) throws IOException {
        this.service = FileSystems.getDefault().newWatchService();
        this.thread = new Thread(() -> forward(changed, overflow), "certwatch-files-events");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Watches a folder's entries (once per folder); any thread. */
    void watch(Path folder) {
        if (refused || folders.contains(folder)) {
            return;
        }
        try {
            folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
            folders.add(folder);
        } catch (ClosedWatchServiceException e) {
            // stopping
        } catch (IOException e) {
            refused = true;
            LOG.warning("files source: no more folders can be watched for events (" + e.getMessage()
                    + "); changes below " + folder + " and further folders are found by the periodic rescan");
        }
    }

    int folders() {
        return folders.size();
    }

    private void forward(Consumer<Path> changed, Runnable overflow) {
        try {
            while (true) {
                WatchKey key = service.take();
                Path folder = (Path) key.watchable();
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                        overflow.run();
                    } else {
                        changed.accept(folder.resolve((Path) event.context()));
                    }
                }
                if (!key.reset()) {
                    folders.remove(folder); // deleted: a folder created again is registered by its event
                    changed.accept(folder);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed: the component stops
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
