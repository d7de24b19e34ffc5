package org.certwatch.fleet.internal.endpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.TlsIdentity;
import org.certwatch.fleet.internal.state.FleetState;

/**
 * The agent protocol's JSON, independent of HTTP: each request is one JSON object in and one out;
 * refusals are {@code {"error": reason}} with an HTTP status. Also what enrolment and replication share:
 * the clock-skew check, the key material an agent receives, its audit entry and the CAs' PEM.
 */
public final class AgentMessages {
    static final String ACTOR = "fleet";

    public record Answer(int status, ObjectNode body) {
    }

    private final FleetState state;
    private final CertificateStore store;
    private final Supplier<Replication.Settings> settings;
    private final ObjectMapper json = new ObjectMapper();

    public AgentMessages(FleetState state, CertificateStore store, Supplier<Replication.Settings> settings) {
        this.state = state;
        this.store = store;
        this.settings = settings;
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * The key (PKCS#8, base64) and chain (PEM) of a certificate. Sent inside the mutual-TLS connection
     * only; a PKCS#12 with a strong password would cost both sides a slow key derivation per agent.
     */
    void putKeyMaterial(ObjectNode node, long certificateId) {
        TlsIdentity identity = store.tlsIdentity(certificateId).orElseThrow(() -> new IllegalArgumentException(
                "the store holds no key for certificate " + certificateId));
        node.put("key", Base64.getEncoder().encodeToString(identity.privateKey().getEncoded()));
        StringBuilder chain = new StringBuilder();
        Base64.Encoder pem = Base64.getMimeEncoder(64, new byte[] {'\n'});
        try {
            for (X509Certificate c : identity.chain()) {
                chain.append("-----BEGIN CERTIFICATE-----\n").append(pem.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            }
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        node.put("chain", chain.toString());
    }

    void recordKeyDelivered(long certificateId) {
        state.record(ACTOR, "certificate.key-delivered", "certificate:" + certificateId, "ok: to its agent over mutual TLS");
    }

    String caPem(long caId) {
        return new String(store.exportCa(caId, ExportFormat.PEM, null, ACTOR), StandardCharsets.US_ASCII);
    }

    Optional<String> clockSkew(JsonNode request) {
        JsonNode time = request.get("time");
        if (time == null || !time.isTextual()) {
            return Optional.of("time (the agent's clock, ISO-8601) is missing");
        }
        Instant agent;
        try {
            agent = AgentTime.parse(time.asText());
        } catch (DateTimeParseException e) {
            return Optional.of("time is not an ISO-8601 instant: " + time.asText());
        }
        // whole seconds of its length; Duration.abs would go through BigDecimal (1 % of the endpoint's samples)
        Duration d = Duration.between(state.clock().instant(), agent);
        long off = d.isNegative() ? -(d.getSeconds() + (d.getNano() > 0 ? 1 : 0)) : d.getSeconds();
        if (off > settings.get().maxClockSkewSeconds()) {
            return Optional.of("the agent's clock is off by " + off + " s (allowed: "
                    + settings.get().maxClockSkewSeconds() + " s)");
        }
        return Optional.empty();
    }

    JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new IllegalArgumentException("the request body is empty; a JSON object is expected");
        }
        try {
            JsonNode node = json.readTree(body);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("the request body is not a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the request body cannot be read: " + e.getMessage());
        }
    }

    static String text(JsonNode node, String field, int max) {
        String v = node.path(field).asText("");
        return v.length() > max ? v.substring(0, max) : v;
    }

    Answer error(int status, String reason) {
        ObjectNode body = json.createObjectNode();
        body.put("error", reason);
        return new Answer(status, body);
    }

    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
