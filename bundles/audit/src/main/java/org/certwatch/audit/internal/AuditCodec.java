package org.certwatch.audit.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import org.certwatch.api.audit.AuditEntry;

/** One audit entry as one JSON object on one line (newlines inside values are escaped by JSON). */
final class AuditCodec {
    /** Always three fraction digits, so the lines' times align and sort as text. */
    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private final JsonFactory json = new JsonFactory();

    String encode(AuditEntry entry) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("at", AT.format(entry.at()));
            g.writeStringField("actor", entry.actor());
            g.writeStringField("action", entry.action());
            g.writeStringField("target", entry.target());
            g.writeStringField("outcome", entry.outcome());
            g.writeStringField("from", entry.from());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** Returns null for a line that is not a complete entry (a torn last line after a crash). */
    AuditEntry decode(String line) {
        Map<String, String> fields = new HashMap<>();
        try (JsonParser p = json.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                fields.put(name, p.getValueAsString());
            }
            if (p.currentToken() != JsonToken.END_OBJECT || fields.get("at") == null
                    || fields.get("action") == null) {
                return null;
            }
            return new AuditEntry(Instant.parse(fields.get("at")), fields.get("actor"), fields.get("action"),
                    fields.get("target"), fields.get("outcome"), fields.get("from"));
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }
}
