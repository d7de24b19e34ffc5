package org.certwatch.locations.internal;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.commons.files.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The locations in {@code $CERTWATCH_DATA/locations/locations.log}: one JSON line per saved location, appended and
 * forced before {@link #save} returns; the last line of an id wins. {@link #load} rewrites the file with one line per
 * location when it holds more (durably, through a synced temporary sibling, streamed: 100,000s of locations must
 * start in the distribution's 256 MB heap), so it stays as large as the locations are. A line torn by a crash is
 * dropped with a warning: it was never acknowledged.
 */
@Component(factory = FileLocationStorage.FACTORY, service = LocationStorage.class)
public final class FileLocationStorage implements LocationStorage {
    /** The one instance is made by {@link FileBackendChoice} in file mode. */
    static final String FACTORY = "org.certwatch.locations.storage.file";
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");

    private final Path file;
    private FileChannel out;

    @Activate
    public FileLocationStorage(BundleContext context) {
        this(Path.of(context.getProperty(RuntimeProperties.DATA)).resolve("locations"));
    }

    public FileLocationStorage(Path folder) {
        this.file = folder.resolve("locations.log");
    }

    @Override
    public synchronized List<StoredLocation> load() throws IOException {
        Map<Long, StoredLocation> byId = new LinkedHashMap<>();
        int lines = 0;
        boolean exists = Files.exists(file);
        if (exists) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNo++;
                    lines++;
                    stopIfInterrupted(lineNo);
                    try {
                        StoredLocation l = LocationLine.read(line);
                        byId.put(l.id(), l);
                    } catch (IOException | RuntimeException e) {
                        LOG.warning(file + " line " + lineNo + " unreadable, ignored (a write torn by a crash): " + e);
                    }
                }
            }
        }
        List<StoredLocation> all = new ArrayList<>(byId.values());
        closeChannel();
        DurableFiles.createOwnerOnlyDirectories(file.getParent());
        if (!exists || lines != all.size()) {
            compact(all);
        }
        out = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        return all;
    }

    @Override
    public synchronized void save(Collection<StoredLocation> locations) throws IOException {
        if (out == null) {
            throw new IOException(file + " is not open (load it first)");
        }
        ByteBuffer bytes = ByteBuffer.wrap(lines(locations));
        while (bytes.hasRemaining()) {
            out.write(bytes);
        }
        out.force(false);
    }

    @Override
    public String name() {
        return file.toString();
    }

    @Deactivate
    public synchronized void close() throws IOException {
        closeChannel();
    }

    private void closeChannel() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }

    /** The file replaced by one line per location, written through a synced temporary sibling. */
    private void compact(List<StoredLocation> all) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + DurableFiles.TEMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            OutputStream buffered = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            int written = 0;
            for (StoredLocation l : all) {
                stopIfInterrupted(++written);
                LocationLine.write(l, buffered);
            }
            buffered.flush();
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        DurableFiles.fsyncDirectory(file.getParent());
    }

    /** A stop during a long load: checked every few thousand lines (the file stays as it was). */
    private void stopIfInterrupted(int line) throws InterruptedIOException {
        if (line % 4096 == 0 && Thread.currentThread().isInterrupted()) {
            throw new InterruptedIOException(file + ": stopped at line " + line);
        }
    }

    private static byte[] lines(Collection<StoredLocation> locations) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * locations.size());
        for (StoredLocation l : locations) {
            LocationLine.write(l, bytes);
        }
        return bytes.toByteArray();
    }
}
