package org.certwatch.fleet.internal;

import org.certwatch.commons.files.DurableFiles;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;

/**
 * Everything the fleet keeps, in memory, and its two files in {@code $CERTWATCH_DATA/fleet/}:
 * {@code directory.json} (groups, users, policies, tokens; written durably on every change, which is
 * rare) and {@code computers.json} (a snapshot written by the flusher at most once a second, since
 * every replication changes it; taken under the lock as values, encoded and written outside it). Computer ids are reserved in blocks recorded in the directory, so an
 * id is never handed out twice even when the last snapshot was lost in a crash.
 * All access goes through {@code synchronized} methods of the owner ({@link Fleet}).
 */
final class FleetState {
    static final int FORMAT = 1;
    static final long ID_BLOCK = 1000;

    final Map<String, Group> groups = new TreeMap<>();
    final Map<String, UserRecord> users = new TreeMap<>();
    final Map<Long, Policy> policies = new TreeMap<>();
    final Map<String, TokenRecord> tokens = new TreeMap<>();
    /** Concurrent, so the CA deletion guard can read it without the fleet lock (the store calls it under its own). */
    final Map<Long, ComputerRecord> computers = new java.util.concurrent.ConcurrentSkipListMap<>();
    long nextPolicyId = 1;
    long nextComputerId = 1;
    /** Ids below this are reserved durably. */
    long computerIdCeiling = 1;

    private final Path directoryFile;
    private final Path computersFile;
    private final ObjectMapper json = new ObjectMapper();

    FleetState(Path folder) {
        this.directoryFile = folder.resolve("directory.json");
        this.computersFile = folder.resolve("computers.json");
    }

    boolean exists() {
        return Files.exists(directoryFile);
    }

    void load() throws IOException {
        if (Files.exists(directoryFile)) {
            readDirectory(readTree(directoryFile));
        }
        if (Files.exists(computersFile)) {
            readComputers(readTree(computersFile));
        }
        // a snapshot lost in a crash must not let ids below the reserved ceiling come back
        nextComputerId = Math.max(nextComputerId, computerIdCeiling);
    }

    private JsonNode readTree(Path file) throws IOException {
        try {
            JsonNode node = json.readTree(file.toFile());
            int format = node.path("format").asInt(0);
            if (format != FORMAT) {
                throw new IOException(file + ": unknown format " + format + " (this version reads " + FORMAT + ")");
            }
            return node;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A directory state to write; a later version contains every earlier change. */
    record DirectorySnapshot(long version, byte[] bytes) {
    }

    private long directoryVersion; // guarded by the fleet lock
    private final Object directoryWrite = new Object();
    private long directoryWritten; // guarded by directoryWrite

    /** Writes the directory now; the caller holds the fleet lock. */
    void saveDirectory() throws IOException {
        persistDirectory(snapshotDirectory());
    }

    /** Taken under the fleet lock. */
    DirectorySnapshot snapshotDirectory() throws IOException {
        return new DirectorySnapshot(++directoryVersion, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(writeDirectory()));
    }

    /**
     * Makes the snapshot durable, possibly outside the fleet lock: group commit, since a snapshot
     * already superseded on disk by a later one needs no write of its own, and an older one never
     * overwrites a newer.
     */
    void persistDirectory(DirectorySnapshot snapshot) throws IOException {
        synchronized (directoryWrite) {
            if (snapshot.version() > directoryWritten) {
                DurableFiles.write(directoryFile, snapshot.bytes(), true);
                directoryWritten = snapshot.version();
            }
        }
    }

    private long computersVersion; // guarded by the fleet lock
    private final Object computersWrite = new Object();
    private long computersWritten; // guarded by computersWrite

    /** Writes the computers now; the caller holds the fleet lock. */
    void saveComputers() throws IOException {
        persistComputers(computersSnapshot());
    }

    /** The computers' state now: cheap, taken under the fleet lock; encoded and written outside it. */
    ComputersSnapshot computersSnapshot() {
        List<ComputerRecord.Row> rows = new ArrayList<>(computers.size());
        for (ComputerRecord r : computers.values()) {
            rows.add(r.row());
        }
        return new ComputersSnapshot(++computersVersion, nextComputerId, rows);
    }

    record ComputersSnapshot(long version, long nextComputerId, List<ComputerRecord.Row> rows) {
    }

    /** Encodes and writes a snapshot unless a later one is on disk already (an older one never overwrites it). */
    void persistComputers(ComputersSnapshot snapshot) throws IOException {
        byte[] encoded = encodeComputers(snapshot);
        synchronized (computersWrite) {
            if (snapshot.version() > computersWritten) {
                DurableFiles.write(computersFile, encoded, true);
                computersWritten = snapshot.version();
            }
        }
    }

    /** Reserves the next block of computer ids when the next id reaches the durable ceiling. */
    long takeComputerId() throws IOException {
        if (nextComputerId >= computerIdCeiling) {
            computerIdCeiling = nextComputerId + ID_BLOCK;
            saveDirectory();
        }
        return nextComputerId++;
    }

    // ------------------------------------------------------------------ codec

    private ObjectNode writeDirectory() {
        ObjectNode root = json.createObjectNode();
        root.put("format", FORMAT);
        root.put("nextPolicyId", nextPolicyId);
        root.put("computerIdCeiling", computerIdCeiling);
        ArrayNode g = root.putArray("groups");
        for (Group group : groups.values()) {
            g.addObject().put("path", group.path()).put("shortName", group.shortName())
                    .put("description", group.description());
        }
        ArrayNode u = root.putArray("users");
        for (UserRecord user : users.values()) {
            ObjectNode n = u.addObject().put("name", user.name()).put("homeGroup", user.homeGroup())
                    .put("enabled", user.enabled()).put("createdAt", user.createdAt().toString())
                    .put("passwordHash", user.passwordHash());
            ArrayNode p = n.putArray("permissions");
            user.permissions().stream().sorted().forEach(x -> p.add(x.name()));
        }
        ArrayNode p = root.putArray("policies");
        for (Policy policy : policies.values()) {
            ObjectNode n = p.addObject().put("id", policy.id()).put("group", policy.group())
                    .put("component", policy.component().name()).put("certificateId", policy.certificateId())
                    .put("issuingCaId", policy.issuingCaId()).put("description", policy.description())
                    .put("createdAt", policy.createdAt().toString());
            ArrayNode t = n.putArray("trustedCaIds");
            policy.trustedCaIds().forEach(t::add);
        }
        ArrayNode t = root.putArray("tokens");
        for (TokenRecord token : tokens.values()) {
            t.addObject().put("id", token.id()).put("secretHash", token.secretHash()).put("group", token.group())
                    .put("expiresAt", token.expiresAt().toString()).put("usesLeft", token.usesLeft());
        }
        return root;
    }

    private void readDirectory(JsonNode root) {
        nextPolicyId = root.path("nextPolicyId").asLong(1);
        computerIdCeiling = root.path("computerIdCeiling").asLong(1);
        for (JsonNode n : root.path("groups")) {
            Group group = new Group(n.path("path").asText(), n.path("shortName").asText(), n.path("description").asText(""));
            groups.put(group.path(), group);
        }
        for (JsonNode n : root.path("users")) {
            Set<Permission> permissions = EnumSet.noneOf(Permission.class);
            n.path("permissions").forEach(x -> permissions.add(Permission.valueOf(x.asText())));
            UserRecord user = new UserRecord(n.path("name").asText(), n.path("homeGroup").asText(), permissions,
                    n.path("enabled").asBoolean(true), Instant.parse(n.path("createdAt").asText()),
                    n.path("passwordHash").asText());
            users.put(user.name(), user);
        }
        for (JsonNode n : root.path("policies")) {
            List<Long> trusted = new ArrayList<>();
            n.path("trustedCaIds").forEach(x -> trusted.add(x.asLong()));
            Policy policy = new Policy(n.path("id").asLong(), n.path("group").asText(),
                    Role.valueOf(n.path("component").asText()), n.path("certificateId").asLong(),
                    n.path("issuingCaId").asLong(), trusted, n.path("description").asText(""),
                    Instant.parse(n.path("createdAt").asText()));
            policies.put(policy.id(), policy);
        }
        for (JsonNode n : root.path("tokens")) {
            TokenRecord token = new TokenRecord(n.path("id").asText(), n.path("secretHash").asText(),
                    n.path("group").asText(), Instant.parse(n.path("expiresAt").asText()), n.path("usesLeft").asInt());
            tokens.put(token.id(), token);
        }
    }

    /** Streams the rows (a tree of 10,000 computers would cost more than the file's write). */
    private byte[] encodeComputers(ComputersSnapshot snapshot) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 400 * snapshot.rows().size());
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeNumberField("nextComputerId", snapshot.nextComputerId());
            g.writeArrayFieldStart("computers");
            for (ComputerRecord.Row r : snapshot.rows()) {
                g.writeStartObject();
                g.writeNumberField("id", r.id());
                g.writeStringField("name", r.name());
                g.writeStringField("group", r.group());
                g.writeNumberField("certificateId", r.certificateId());
                g.writeNumberField("lastCaId", r.lastCaId());
                g.writeStringField("fingerprint", r.fingerprint());
                g.writeNumberField("replicationsSincePolicy", r.replicationsSincePolicy());
                g.writeStringField("agentVersion", r.agentVersion());
                g.writeStringField("hostName", r.hostName());
                g.writeNumberField("policyId", r.policyId());
                g.writeStringField("policyState", r.policyState().name());
                g.writeStringField("policyReason", r.policyReason());
                g.writeNumberField("policyCertificateId", r.policyCertificateId());
                g.writeBooleanField("earlyReplication", r.earlyReplication());
                writeInstant(g, "firstSeen", r.firstSeen());
                writeInstant(g, "lastReplication", r.lastReplication());
                writeInstant(g, "policyAt", r.policyAt());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private void readComputers(JsonNode root) {
        nextComputerId = Math.max(nextComputerId, root.path("nextComputerId").asLong(1));
        for (JsonNode n : root.path("computers")) {
            ComputerRecord r = new ComputerRecord(n.path("id").asLong(), n.path("name").asText(), n.path("group").asText());
            r.certificateId = n.path("certificateId").asLong();
            r.lastCaId = n.path("lastCaId").asLong();
            r.fingerprint = n.path("fingerprint").asText("");
            r.replicationsSincePolicy = n.path("replicationsSincePolicy").asInt();
            r.agentVersion = n.path("agentVersion").asText("");
            r.hostName = n.path("hostName").asText("");
            r.policyId = n.path("policyId").asLong();
            r.policyState = PolicyState.State.valueOf(n.path("policyState").asText("NONE"));
            r.policyReason = n.path("policyReason").asText("");
            r.policyCertificateId = n.path("policyCertificateId").asLong();
            r.earlyReplication = n.path("earlyReplication").asBoolean();
            r.firstSeen = instant(n, "firstSeen");
            r.lastReplication = instant(n, "lastReplication");
            r.policyAt = instant(n, "policyAt");
            computers.put(r.id, r);
            nextComputerId = Math.max(nextComputerId, r.id + 1);
        }
    }

    private static void writeInstant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value.toString());
        }
    }

    private static Instant instant(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : Instant.parse(v.asText());
    }
}
