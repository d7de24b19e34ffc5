package org.certwatch.locations.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;

/**
 * One location as one JSON line of {@code locations.log}. Streamed field by field rather than through a tree: a
 * start reads 100,000s of lines.
 */
final class LocationLine {
    private static final JsonFactory JSON = new JsonFactory();

    private LocationLine() {
    }

    static void write(StoredLocation s, OutputStream out) throws IOException {
        Location l = s.location();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
            g.writeStartObject();
            g.writeNumberField("id", l.id());
            g.writeStringField("source", l.ref().source());
            g.writeStringField("kind", l.ref().kind().name());
            g.writeStringField("address", l.ref().address());
            g.writeStringField("group", l.ref().homeGroup());
            g.writeStringField("state", l.state().name());
            g.writeNumberField("certificate", l.certificateId());
            g.writeArrayFieldStart("chain");
            for (long id : l.chainIds()) {
                g.writeNumber(id);
            }
            g.writeEndArray();
            if (l.failure() != null) {
                g.writeStringField("failure", l.failure().name());
            }
            g.writeStringField("reason", l.reason());
            g.writeNumberField("failures", l.consecutiveFailures());
            instant(g, "firstSeen", l.firstSeen());
            instant(g, "lastCheck", l.lastCheck());
            instant(g, "lastChange", l.lastChange());
            g.writeBooleanField("stopped", s.stopped());
            g.writeBooleanField("announced", s.announced());
            g.writeArrayFieldStart("history");
            for (LocationHistoryEntry h : s.history()) {
                g.writeStartObject();
                g.writeNumberField("certificate", h.certificateId());
                g.writeStringField("fingerprint", h.fingerprint());
                instant(g, "from", h.from());
                instant(g, "until", h.until());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** The location of one line; an incomplete or malformed line throws. */
    static StoredLocation read(String line) throws IOException {
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            long id = -1;
            long certificate = 0;
            int failures = 0;
            String source = null;
            String kind = null;
            String address = null;
            String group = null;
            String state = null;
            String failure = null;
            String reason = "";
            Instant firstSeen = null;
            Instant lastCheck = null;
            Instant lastChange = null;
            boolean stopped = false;
            boolean announced = false;
            List<Long> chain = new ArrayList<>(2);
            List<LocationHistoryEntry> history = new ArrayList<>(1);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> id = p.getLongValue();
                    case "source" -> source = p.getText();
                    case "kind" -> kind = p.getText();
                    case "address" -> address = p.getText();
                    case "group" -> group = p.getText();
                    case "state" -> state = p.getText();
                    case "certificate" -> certificate = p.getLongValue();
                    case "chain" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            chain.add(p.getLongValue());
                        }
                    }
                    case "failure" -> failure = value == JsonToken.VALUE_NULL ? null : p.getText();
                    case "reason" -> reason = p.getText();
                    case "failures" -> failures = p.getIntValue();
                    case "firstSeen" -> firstSeen = instant(p, value);
                    case "lastCheck" -> lastCheck = instant(p, value);
                    case "lastChange" -> lastChange = instant(p, value);
                    case "stopped" -> stopped = p.getBooleanValue();
                    case "announced" -> announced = p.getBooleanValue();
                    case "history" -> {
                        expect(value, JsonToken.START_ARRAY);
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            history.add(entry(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            expect(p.currentToken(), JsonToken.END_OBJECT);
            if (id < 0 || source == null || kind == null || address == null || group == null || state == null) {
                throw new IOException("a location line without its id, source, kind, address, group or state");
            }
            Location l = new Location(id, new LocationRef(source, LocationKind.valueOf(kind), address, group),
                    LocationState.valueOf(state), certificate, chain,
                    failure == null ? null : LocationFailure.valueOf(failure), reason, failures, firstSeen, lastCheck,
                    lastChange);
            return new StoredLocation(l, history, stopped, announced);
        }
    }

    private static LocationHistoryEntry entry(JsonParser p) throws IOException {
        expect(p.currentToken(), JsonToken.START_OBJECT);
        long certificate = 0;
        String fingerprint = null;
        Instant from = null;
        Instant until = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "certificate" -> certificate = p.getLongValue();
                case "fingerprint" -> fingerprint = p.getText();
                case "from" -> from = instant(p, value);
                case "until" -> until = instant(p, value);
                default -> p.skipChildren();
            }
        }
        if (fingerprint == null) {
            throw new IOException("a history entry without its fingerprint");
        }
        return new LocationHistoryEntry(certificate, fingerprint, from, until);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + ", found " + actual);
        }
    }

    private static void instant(JsonGenerator g, String field, Instant value) throws IOException {
        if (value != null) {
            g.writeStringField(field, value.toString());
        }
    }

    private static Instant instant(JsonParser p, JsonToken value) throws IOException {
        return value == JsonToken.VALUE_NULL ? null : Instant.parse(p.getText());
    }
}
