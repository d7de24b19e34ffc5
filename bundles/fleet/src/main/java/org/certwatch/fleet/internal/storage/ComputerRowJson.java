package org.certwatch.fleet.internal.storage;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import org.certwatch.api.fleet.PolicyState;

/** One computer row as JSON, the same object in the snapshot's array and on a line of the change log. */
final class ComputerRowJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ComputerRowJson() {
    }

    /** A line of {@code computers.log} without its newline: a shared backend's document of the computer. */
    static byte[] encode(ComputerRow r) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(400);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            write(g, r);
        }
        return out.toByteArray();
    }

    static ComputerRow decode(byte[] bytes) throws IOException {
        return read(JSON.readTree(bytes));
    }

    static void write(JsonGenerator g, ComputerRow r) throws IOException {
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

    static ComputerRow read(JsonNode n) {
        return new ComputerRow(n.path("id").asLong(), n.path("name").asText(), n.path("group").asText(),
                n.path("certificateId").asLong(), n.path("lastCaId").asLong(), n.path("fingerprint").asText(""),
                instant(n, "firstSeen"), instant(n, "lastReplication"), n.path("replicationsSincePolicy").asInt(),
                n.path("agentVersion").asText(""), n.path("hostName").asText(""), n.path("policyId").asLong(),
                PolicyState.State.valueOf(n.path("policyState").asText("NONE")), n.path("policyReason").asText(""),
                instant(n, "policyAt"), n.path("policyCertificateId").asLong(), n.path("earlyReplication").asBoolean());
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
