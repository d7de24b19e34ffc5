package org.certwatch.locations.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
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
    private static final Map<String, FindingKind> KINDS = Arrays.stream(FindingKind.values())
            .collect(Collectors.toUnmodifiableMap(FindingKind::name, k -> k));

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
            findings(g, l.findings());
            probe(g, l.probe());
            g.writeEndObject();
        }
        out.write('\n');
    }

    /** Only when there are any: most locations (files) have none, and 100,000s of lines are read at a start. */
    private static void findings(JsonGenerator g, List<Finding> findings) throws IOException {
        if (findings.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart("findings");
        for (Finding f : findings) {
            g.writeStartObject();
            g.writeStringField("kind", f.kind().name());
            g.writeNumberField("certificate", f.certificateIndex());
            g.writeStringField("text", f.text());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void probe(JsonGenerator g, EndpointProbe probe) throws IOException {
        if (probe == null) {
            return;
        }
        g.writeObjectFieldStart("probe");
        g.writeStringField("protocol", probe.protocol());
        g.writeStringField("cipherSuite", probe.cipherSuite());
        g.writeStringField("duration", probe.duration().toString());
        g.writeStringField("peer", probe.peerAddress());
        g.writeBooleanField("ocspStapled", probe.ocspStapled());
        g.writeEndObject();
    }

    /** The location of one line; an incomplete or malformed line throws. Lines written before 1.2 have no findings. */
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
            List<Finding> findings = List.of();
            EndpointProbe probe = null;
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
                    case "findings" -> findings = findings(p, value);
                    case "probe" -> probe = probe(p, value);
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
                    lastChange, findings, probe);
            return new StoredLocation(l, history, stopped, announced);
        }
    }

    /** A kind this version does not know (written by a newer one) is left out rather than losing the location. */
    private static List<Finding> findings(JsonParser p, JsonToken value) throws IOException {
        expect(value, JsonToken.START_ARRAY);
        List<Finding> out = new ArrayList<>(2);
        while (p.nextToken() != JsonToken.END_ARRAY) {
            expect(p.currentToken(), JsonToken.START_OBJECT);
            String kind = null;
            int certificate = -1;
            String text = "";
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "kind" -> kind = p.getText();
                    case "certificate" -> certificate = p.getIntValue();
                    case "text" -> text = p.getText();
                    default -> p.skipChildren();
                }
            }
            FindingKind known = kind == null ? null : KINDS.get(kind);
            if (known != null) {
                out.add(new Finding(known, certificate, text));
            }
        }
        return out;
    }

    private static EndpointProbe probe(JsonParser p, JsonToken value) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(value, JsonToken.START_OBJECT);
        String protocol = null;
        String cipherSuite = null;
        Duration duration = null;
        String peer = null;
        boolean stapled = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "protocol" -> protocol = p.getText();
                case "cipherSuite" -> cipherSuite = p.getText();
                case "duration" -> duration = Duration.parse(p.getText());
                case "peer" -> peer = p.getText();
                case "ocspStapled" -> stapled = p.getBooleanValue();
                default -> p.skipChildren();
            }
        }
        if (protocol == null || cipherSuite == null || duration == null || peer == null) {
            throw new IOException("a probe without its protocol, cipher suite, duration or peer");
        }
        return new EndpointProbe(protocol, cipherSuite, duration, peer, stapled);
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
