package org.certwatch.locations.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.certwatch.api.RuntimeProperties;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.commons.files.DurableFiles;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The locations in {@code $CERTWATCH_DATA/locations/locations.log}: one JSON line per saved location, appended and
 * forced before {@link #save} returns; the last line of an id wins. {@link #load} rewrites the file with one line per
 * location (durably, through a synced temporary sibling), so it stays as large as the locations are. A line torn by a
 * crash is dropped with a warning: it was never acknowledged.
 */
@Component(service = LocationStorage.class)
public final class FileLocationStorage implements LocationStorage {
    private static final Logger LOG = Logger.getLogger("org.certwatch.locations");
    private static final ObjectMapper JSON = new ObjectMapper();

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
        if (Files.exists(file)) {
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                int lineNo = 0;
                for (String line; (line = reader.readLine()) != null; ) {
                    lineNo++;
                    try {
                        StoredLocation l = decode(JSON.readTree(line));
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
        DurableFiles.write(file, lines(all), true);
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

    private static byte[] lines(Collection<StoredLocation> locations) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * locations.size());
        for (StoredLocation l : locations) {
            bytes.write(JSON.writeValueAsBytes(encode(l)));
            bytes.write('\n');
        }
        return bytes.toByteArray();
    }

    private static ObjectNode encode(StoredLocation s) {
        Location l = s.location();
        ObjectNode n = JSON.createObjectNode();
        n.put("id", l.id());
        n.put("source", l.ref().source());
        n.put("kind", l.ref().kind().name());
        n.put("address", l.ref().address());
        n.put("group", l.ref().homeGroup());
        n.put("state", l.state().name());
        n.put("certificate", l.certificateId());
        ArrayNode chain = n.putArray("chain");
        l.chainIds().forEach(chain::add);
        if (l.failure() != null) {
            n.put("failure", l.failure().name());
        }
        n.put("reason", l.reason());
        n.put("failures", l.consecutiveFailures());
        put(n, "firstSeen", l.firstSeen());
        put(n, "lastCheck", l.lastCheck());
        put(n, "lastChange", l.lastChange());
        n.put("stopped", s.stopped());
        n.put("announced", s.announced());
        ArrayNode history = n.putArray("history");
        for (LocationHistoryEntry h : s.history()) {
            ObjectNode e = history.addObject();
            e.put("certificate", h.certificateId());
            e.put("fingerprint", h.fingerprint());
            put(e, "from", h.from());
            put(e, "until", h.until());
        }
        return n;
    }

    private static StoredLocation decode(JsonNode n) {
        LocationRef ref = new LocationRef(n.get("source").asText(), LocationKind.valueOf(n.get("kind").asText()),
                n.get("address").asText(), n.get("group").asText());
        List<Long> chain = new ArrayList<>();
        n.get("chain").forEach(c -> chain.add(c.asLong()));
        Location l = new Location(n.get("id").asLong(), ref, LocationState.valueOf(n.get("state").asText()),
                n.get("certificate").asLong(), chain,
                n.hasNonNull("failure") ? LocationFailure.valueOf(n.get("failure").asText()) : null,
                n.get("reason").asText(), n.get("failures").asInt(), instant(n, "firstSeen"), instant(n, "lastCheck"),
                instant(n, "lastChange"));
        List<LocationHistoryEntry> history = new ArrayList<>();
        for (JsonNode e : n.get("history")) {
            history.add(new LocationHistoryEntry(e.get("certificate").asLong(), e.get("fingerprint").asText(),
                    instant(e, "from"), instant(e, "until")));
        }
        return new StoredLocation(l, history, n.get("stopped").asBoolean(), n.get("announced").asBoolean());
    }

    private static void put(ObjectNode n, String field, Instant value) {
        if (value != null) {
            n.put(field, value.toString());
        }
    }

    private static Instant instant(JsonNode n, String field) {
        return n.hasNonNull(field) ? Instant.parse(n.get(field).asText()) : null;
    }
}
