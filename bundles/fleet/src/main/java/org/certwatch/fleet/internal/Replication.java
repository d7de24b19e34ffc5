package org.certwatch.fleet.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.TlsIdentity;

/**
 * The agent protocol, independent of HTTP: one enrolment ({@code POST /agent/v1/enrol}, token, no
 * client certificate) and one replication ({@code POST /agent/v1/replicate}, client certificate) are
 * each a JSON object in and a JSON object out. Refusals are {@code {"error": reason}} with an HTTP
 * status; nothing a bad request says changes the state of any other computer.
 */
final class Replication {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    static final String ACTOR = "fleet";

    record Answer(int status, ObjectNode body) {
    }

    /** Settings that change live with the configuration. */
    record Settings(int intervalSeconds, int earlyIntervalSeconds, int capacityPerSecond, int maxClockSkewSeconds) {
    }

    private final Fleet fleet;
    private final CertificateStore store;
    private final Supplier<Settings> settings;
    private final BiConsumer<String, Map<String, Object>> events;
    private final ObjectMapper json = new ObjectMapper();

    Replication(Fleet fleet, Supplier<Settings> settings, BiConsumer<String, Map<String, Object>> events) {
        this.fleet = fleet;
        this.store = fleet.store();
        this.settings = settings;
        this.events = events;
    }

    ObjectMapper json() {
        return json;
    }

    // ------------------------------------------------------------------ enrolment

    Answer enrol(byte[] body, String remote) {
        JsonNode request;
        try {
            request = parse(body);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        String token = request.path("token").asText("");
        String host = request.path("hostName").asText("");
        if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,62}[A-Za-z0-9])?")) {
            return error(400, "hostName must be a DNS-style host name of at most 64 characters");
        }
        Optional<String> skew = clockSkew(request);
        if (skew.isPresent()) {
            return error(400, skew.get());
        }
        String group;
        try {
            group = fleet.redeem(token);
        } catch (IllegalArgumentException e) {
            LOG.warning("enrolment from " + remote + " (" + host + ") refused: " + e.getMessage());
            fleet.record(ACTOR, "agent.enrol", "host:" + host, "refused: " + e.getMessage());
            return error(403, e.getMessage());
        }
        try {
            CertificateInfo server = store.serverCertificate().orElseThrow(
                    () -> new IllegalStateException("the server has no certificate"));
            IssueRequest issue = new IssueRequest(server.caId(), Role.AGENT, host, List.of(), null,
                    Fleet.ENROLLED_MARK + EnrolmentTokens.parse(token).id(), group, null, null);
            CertificateInfo issued = store.issue(issue, ACTOR);
            ObjectNode answer = json.createObjectNode();
            answer.put("certificateId", issued.id());
            putKeyMaterial(answer, issued.id());
            recordKeyDelivered(issued.id());
            ArrayNode cas = answer.putArray("trustedCas");
            cas.add(caPem(server.caId()));
            answer.put("interval", settings.get().intervalSeconds());
            fleet.record(ACTOR, "agent.enrol", "certificate:" + issued.id(), "ok: " + host + " in " + group);
            return new Answer(200, answer);
        } catch (CertificateStoreException | IllegalStateException e) {
            LOG.warning("enrolment of " + host + " failed: " + e.getMessage());
            return error(500, "enrolment failed: " + e.getMessage());
        }
    }

    // ------------------------------------------------------------------ replication

    Answer replicate(byte[] body, X509Certificate peer) {
        Settings s = settings.get();
        if (peer == null) {
            return error(401, "a client certificate issued by a CA the server trusts is required");
        }
        String fingerprint = fingerprint(peer);
        Optional<CertificateInfo> known = store.certificateByFingerprint(fingerprint);
        if (known.isEmpty()) {
            return error(403, "the client certificate is not known to the server");
        }
        CertificateInfo certificate = known.get();
        Instant now = fleet.clock().instant();
        // also checked in the TLS trust manager; checked again because a resumed session skips it
        if (certificate.revoked()) {
            return error(403, "the client certificate was revoked at " + certificate.revokedAt());
        }
        if (!now.isBefore(certificate.notAfter())) {
            return error(403, "the client certificate expired at " + certificate.notAfter());
        }
        JsonNode request;
        try {
            request = parse(body);
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        }
        String reported = request.path("certificateFingerprint").asText("");
        if (!reported.equalsIgnoreCase(fingerprint)) {
            return error(400, "certificateFingerprint does not match the certificate of this connection");
        }
        String host = request.path("hostName").asText("");
        if (host.isEmpty() || host.length() > 255) {
            return error(400, "hostName is missing or too long");
        }
        Optional<String> skew = clockSkew(request);
        if (skew.isPresent()) {
            LOG.warning("replication of " + host + " refused: " + skew.get());
            return error(400, skew.get());
        }
        JsonNode computerIdNode = request.get("computerId");
        if (computerIdNode != null && !computerIdNode.isIntegralNumber()) {
            return error(400, "computerId must be a number");
        }
        JsonNode policyReport = request.get("policy");
        if (policyReport != null && !policyReport.isNull()
                && (!policyReport.isObject() || !policyReport.path("id").isIntegralNumber())) {
            return error(400, "policy must be an object with a numeric id");
        }

        ComputerRecord computer;
        boolean added = false;
        ObjectNode policyPayload = null;
        synchronized (fleet) {
            computer = computerIdNode == null ? null : fleet.record(computerIdNode.asLong());
            if (computer != null && !bound(computer, certificate)) {
                return error(403, "certificate " + certificate.id() + " does not belong to computer " + computer.id);
            }
            if (computer == null) {
                computer = fleet.recordByCertificate(certificate.id()).orElse(null);
            }
            if (computer == null) {
                computer = fleet.unboundRecordByName(host).orElse(null);
            }
            if (computer == null) {
                String group = certificate.description() != null
                        && certificate.description().startsWith(Fleet.ENROLLED_MARK)
                        && fleet.group(certificate.homeGroup()).isPresent() ? certificate.homeGroup() : Group.LOST_AND_FOUND;
                String name = fleet.nameTaken(host) ? host + "-" + certificate.id() : host;
                computer = fleet.newComputer(name, group);
                added = true;
            }
            computer.lastReplication = now;
            computer.certificateId = certificate.id();
            computer.lastCaId = certificate.caId();
            computer.fingerprint = fingerprint;
            computer.agentVersion = text(request, "agentVersion", 64);
            computer.hostName = host;
            computer.replicationsSincePolicy++;
            if (policyReport != null && !policyReport.isNull() && policyReport.path("id").asLong() == computer.policyId) {
                String state = policyReport.path("state").asText("");
                if (state.equals("APPLIED")) {
                    computer.policyState = PolicyState.State.APPLIED;
                    computer.policyReason = "";
                    computer.policyAt = now;
                } else if (state.equals("FAILED")) {
                    computer.policyState = PolicyState.State.FAILED;
                    computer.policyReason = text(policyReport, "reason", 500);
                    computer.policyAt = now;
                    LOG.warning("computer " + computer.name + " could not apply policy " + computer.policyId + ": "
                            + computer.policyReason);
                }
            }
            Optional<Policy> policy = fleet.effectivePolicy(computer.group, Role.AGENT);
            if (policy.isPresent()) {
                policyPayload = policyFor(computer, policy.get(), policyReport, now);
            }
        }
        fleet.markDirty();
        if (policyPayload != null) {
            // audited outside the fleet lock: concurrent replications share one fsync (group commit)
            recordKeyDelivered(policyPayload.path("certificateId").asLong());
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("computerId", computer.id);
        answer.put("name", computer.name);
        answer.put("group", computer.group);
        answer.put("serverTime", now.toString());
        answer.put("interval", interval(computer, s));
        if (policyPayload != null) {
            answer.set("policy", policyPayload);
        }
        if (added) {
            LOG.info("computer " + computer.name + " (id " + computer.id + ") appeared in " + computer.group);
        }
        events.accept(Topics.COMPUTER_REPLICATED, Map.of("computer.id", computer.id, "certificate.id", certificate.id()));
        return new Answer(200, answer);
    }

    private boolean bound(ComputerRecord computer, CertificateInfo certificate) {
        return computer.certificateId == 0 || computer.certificateId == certificate.id()
                || computer.policyCertificateId == certificate.id();
    }

    /** Caller holds the fleet lock. The payload to send, or null when the agent has it already. */
    private ObjectNode policyFor(ComputerRecord computer, Policy policy, JsonNode report, Instant now) {
        boolean reportedThis = report != null && !report.isNull() && report.path("id").asLong() == policy.id();
        if (computer.policyId == policy.id()
                && (computer.policyState == PolicyState.State.APPLIED || computer.policyState == PolicyState.State.FAILED
                        || reportedThis)) {
            return null;
        }
        boolean fresh = computer.policyId != policy.id();
        if (fresh) {
            computer.policyId = policy.id();
            computer.policyCertificateId = 0;
            computer.replicationsSincePolicy = 0;
        }
        computer.policyAt = now;
        try {
            long certificateId = policy.certificateId();
            if (certificateId != 0) {
                CertificateInfo c = store.certificate(certificateId).orElseThrow(() -> new IllegalArgumentException(
                        "policy " + policy.id() + " refers to certificate " + policy.certificateId()
                                + ", which no longer exists"));
                fleet.requireUsable(c);
            } else if (computer.policyCertificateId != 0) {
                certificateId = computer.policyCertificateId;
            } else {
                CaInfo ca = store.ca(policy.issuingCaId()).orElseThrow(() -> new IllegalArgumentException(
                        "policy " + policy.id() + " refers to CA " + policy.issuingCaId() + ", which no longer exists"));
                CertificateInfo issued = store.issue(new IssueRequest(ca.id(), policy.component(), hostOf(computer),
                        List.of(), null, "policy " + policy.id() + " for computer " + computer.id, computer.group, null,
                        null), ACTOR);
                certificateId = issued.id();
            }
            computer.policyCertificateId = certificateId;
            ObjectNode payload = json.createObjectNode();
            payload.put("id", policy.id());
            payload.put("certificateId", certificateId);
            putKeyMaterial(payload, certificateId);
            ArrayNode cas = payload.putArray("trustedCas");
            for (long caId : policy.trustedCaIds()) {
                cas.add(caPem(caId));
            }
            computer.policyState = PolicyState.State.PENDING;
            computer.policyReason = "";
            return payload;
        } catch (IllegalArgumentException | CertificateStoreException e) {
            computer.policyState = PolicyState.State.FAILED;
            computer.policyReason = e.getMessage();
            LOG.warning("policy " + policy.id() + " not sent to computer " + computer.name + ": " + e.getMessage());
            return null;
        }
    }

    static String hostOf(ComputerRecord computer) {
        String h = computer.hostName.isEmpty() ? computer.name : computer.hostName;
        return h.matches("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?") ? h : "*";
    }

    /**
     * The policy default; the short one once after an admin asked for an early replication; longer
     * when the fleet would need more replications per second than the server plans for.
     */
    long interval(ComputerRecord computer, Settings s) {
        if (computer.earlyReplication) {
            computer.earlyReplication = false;
            return s.earlyIntervalSeconds();
        }
        long needed = (long) Math.ceil(fleet.computerCount() / (double) s.capacityPerSecond());
        return Math.max(s.intervalSeconds(), needed);
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The key (PKCS#8, base64) and chain (PEM) of a certificate. Sent inside the mutual-TLS connection
     * only; a PKCS#12 with a strong password would cost both sides a slow key derivation per agent.
     */
    private void putKeyMaterial(ObjectNode node, long certificateId) {
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

    private void recordKeyDelivered(long certificateId) {
        fleet.record(ACTOR, "certificate.key-delivered", "certificate:" + certificateId, "ok: to its agent over mutual TLS");
    }

    private String caPem(long caId) {
        return new String(store.exportCa(caId, ExportFormat.PEM, null, ACTOR), StandardCharsets.US_ASCII);
    }

    private Optional<String> clockSkew(JsonNode request) {
        JsonNode time = request.get("time");
        if (time == null || !time.isTextual()) {
            return Optional.of("time (the agent's clock, ISO-8601) is missing");
        }
        Instant agent;
        try {
            agent = Instant.parse(time.asText());
        } catch (DateTimeParseException e) {
            return Optional.of("time is not an ISO-8601 instant: " + time.asText());
        }
        Duration off = Duration.between(fleet.clock().instant(), agent).abs();
        if (off.getSeconds() > settings.get().maxClockSkewSeconds()) {
            return Optional.of("the agent's clock is off by " + off.getSeconds() + " s (allowed: "
                    + settings.get().maxClockSkewSeconds() + " s)");
        }
        return Optional.empty();
    }

    private JsonNode parse(byte[] body) {
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

    private static String text(JsonNode node, String field, int max) {
        String v = node.path(field).asText("");
        return v.length() > max ? v.substring(0, max) : v;
    }

    Answer error(int status, String reason) {
        ObjectNode body = json.createObjectNode();
        body.put("error", reason);
        return new Answer(status, body);
    }

    static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
