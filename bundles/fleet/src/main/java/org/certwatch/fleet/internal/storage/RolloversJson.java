package org.certwatch.fleet.internal.storage;

import org.certwatch.commons.files.DurableFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.certwatch.api.rollover.RolloverStep;
import org.certwatch.api.rollover.StepState;

/**
 * {@code $CERTWATCH_DATA/fleet/rollovers.json}: every rollover, written durably after each step; its bytes
 * ({@link #encode}, {@link #decode}) are also a shared backend's document.
 */
final class RolloversJson {
    static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    RolloversJson(Path folder) {
        this.file = folder.resolve("rollovers.json");
    }

    Path path() {
        return file;
    }

    RolloversRecord load() throws IOException {
        return Files.exists(file) ? decode(Files.readAllBytes(file), file.toString())
                : new RolloversRecord(1, new TreeMap<>());
    }

    void save(long nextId, Iterable<RolloverRecord> rollovers) throws IOException {
        Files.createDirectories(file.getParent());
        DurableFiles.write(file, encode(nextId, rollovers), true);
    }

    /** {@code where} names the file or document in messages. */
    static RolloversRecord decode(byte[] bytes, String where) throws IOException {
        Map<Long, RolloverRecord> out = new TreeMap<>();
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root.path("format").asInt() != FORMAT) {
            throw new IOException(where + ": unknown format " + root.path("format").asInt());
        }
        for (JsonNode n : root.path("rollovers")) {
            RolloverRecord r = new RolloverRecord(n.path("id").asLong(), n.path("oldCaId").asLong(),
                    n.path("startedBy").asText(""), Instant.parse(n.path("startedAt").asText()));
            r.newCaId = n.path("newCaId").asLong();
            r.completed = n.path("completed").asInt();
            r.oldServerCertificateId = n.path("oldServerCertificateId").asLong();
            r.newServerCertificateId = n.path("newServerCertificateId").asLong();
            n.path("policyIds").forEach(x -> r.policyIds.add(x.asLong()));
            n.path("targets").fields().forEachRemaining(e -> r.targets.put(Long.parseLong(e.getKey()), e.getValue().asLong()));
            int i = 0;
            for (JsonNode s : n.path("steps")) {
                if (i < 6) {
                    r.steps[i] = new StepState(RolloverStep.values()[i], StepState.Status.valueOf(s.path("status").asText()),
                            instant(s, "at"), s.path("actor").asText(""), s.path("detail").asText(""));
                }
                i++;
            }
            r.waitUntil = instant(n, "waitUntil");
            r.certificateValiditySeconds = n.path("certificateValiditySeconds").asLong();
            r.forcedBy = n.path("forcedBy").asText("");
            r.forceReason = n.path("forceReason").asText("");
            out.put(r.id, r);
        }
        return new RolloversRecord(root.path("nextId").asLong(1), out);
    }

    static byte[] encode(long nextId, Iterable<RolloverRecord> rollovers) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("nextId", nextId);
        ArrayNode list = root.putArray("rollovers");
        for (RolloverRecord r : rollovers) {
            ObjectNode n = list.addObject().put("id", r.id).put("oldCaId", r.oldCaId).put("newCaId", r.newCaId)
                    .put("completed", r.completed).put("startedBy", r.startedBy).put("startedAt", r.startedAt.toString())
                    .put("oldServerCertificateId", r.oldServerCertificateId)
                    .put("newServerCertificateId", r.newServerCertificateId).put("forcedBy", r.forcedBy)
                    .put("forceReason", r.forceReason).put("certificateValiditySeconds", r.certificateValiditySeconds);
            if (r.waitUntil != null) {
                n.put("waitUntil", r.waitUntil.toString());
            }
            ArrayNode p = n.putArray("policyIds");
            r.policyIds.forEach(p::add);
            ObjectNode t = n.putObject("targets");
            r.targets.forEach((k, v) -> t.put(Long.toString(k), v));
            ArrayNode s = n.putArray("steps");
            for (StepState st : r.steps) {
                ObjectNode x = s.addObject().put("status", st.status().name()).put("actor", st.actor())
                        .put("detail", st.detail());
                if (st.at() != null) {
                    x.put("at", st.at().toString());
                }
            }
        }
        return JSON.writeValueAsBytes(root);
    }

    private static Instant instant(JsonNode n, String name) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? null : Instant.parse(v.asText());
    }
}
