package org.certwatch.fleet.internal.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.certwatch.api.store.IssueRequest;
import org.certwatch.fleet.internal.computers.Computers;
import org.certwatch.fleet.internal.endpoint.AgentMessages.Answer;
import org.certwatch.fleet.internal.policy.Policies;
import org.certwatch.fleet.internal.state.ComputerRecord;
import org.certwatch.fleet.internal.state.FleetState;

/**
 * One replication ({@code POST /agent/v1/replicate}, client certificate): the computer is found (or
 * added) by its certificate, its state updated, and its group's policy delivered until the agent reports
 * it applied or failed. Nothing a bad request says changes the state of any other computer.
 */
public final class Replication {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");

    /** Settings that change live with the configuration. */
    public record Settings(int intervalSeconds, int earlyIntervalSeconds, int capacityPerSecond, int maxClockSkewSeconds) {
    }

    private final FleetState state;
    private final Computers computers;
    private final Policies policies;
    private final CertificateStore store;
    private final AgentMessages messages;
    private final Supplier<Settings> settings;

    public Replication(FleetState state, Computers computers, Policies policies, CertificateStore store,
            AgentMessages messages, Supplier<Settings> settings) {
        this.state = state;
        this.computers = computers;
        this.policies = policies;
        this.store = store;
        this.messages = messages;
        this.settings = settings;
    }

    public Answer replicate(byte[] body, X509Certificate peer) {
        Settings s = settings.get();
        if (peer == null) {
            return messages.error(401, "a client certificate issued by a CA the server trusts is required");
        }
        String fingerprint = AgentMessages.fingerprint(peer);
        Optional<CertificateInfo> known = store.certificateByFingerprint(fingerprint);
        if (known.isEmpty()) {
            return messages.error(403, "the client certificate is not known to the server");
        }
        CertificateInfo certificate = known.get();
        Instant now = state.clock().instant();
        // also checked in the TLS trust manager; checked again because a resumed session skips it
        if (certificate.revoked()) {
            return messages.error(403, "the client certificate was revoked at " + certificate.revokedAt());
        }
        if (!now.isBefore(certificate.notAfter())) {
            return messages.error(403, "the client certificate expired at " + certificate.notAfter());
        }
        JsonNode request;
        try {
            request = messages.parse(body);
        } catch (IllegalArgumentException e) {
            return messages.error(400, e.getMessage());
        }
        String reported = request.path("certificateFingerprint").asText("");
        if (!reported.equalsIgnoreCase(fingerprint)) {
            return messages.error(400, "certificateFingerprint does not match the certificate of this connection");
        }
        String host = request.path("hostName").asText("");
        if (host.isEmpty() || host.length() > 255) {
            return messages.error(400, "hostName is missing or too long");
        }
        Optional<String> skew = messages.clockSkew(request);
        if (skew.isPresent()) {
            LOG.warning("replication of " + host + " refused: " + skew.get());
            return messages.error(400, skew.get());
        }
        JsonNode computerIdNode = request.get("computerId");
        if (computerIdNode != null && !computerIdNode.isIntegralNumber()) {
            return messages.error(400, "computerId must be a number");
        }
        JsonNode policyReport = request.get("policy");
        if (policyReport != null && !policyReport.isNull()
                && (!policyReport.isObject() || !policyReport.path("id").isIntegralNumber())) {
            return messages.error(400, "policy must be an object with a numeric id");
        }

        JsonNode report = policyReport == null || policyReport.isNull() ? null : policyReport;
        ComputerRecord existing = computerIdNode == null ? null : computers.record(computerIdNode.asLong());
        Update update;
        if (existing != null) {
            // the usual case: only this computer's lock, so replications of others go on beside it
            try (FleetState.Held held = state.lock(existing)) {
                if (!bound(existing, certificate)) {
                    return messages.error(403, "certificate " + certificate.id() + " does not belong to computer " + existing.id);
                }
                update = update(existing, false, certificate, fingerprint, host, request, report, now, s);
            }
        } else {
            // a first replication (or an agent that lost its state) finds or adds its computer under the fleet lock
            try (FleetState.Held held = state.exclusive()) {
                update = update(firstReplication(certificate, host), certificate, fingerprint, host, request, report, now, s);
            }
        }
        ComputerRecord computer = update.computer();
        ObjectNode policyPayload = update.policy();
        if (policyPayload != null) {
            // audited outside the computer's lock (concurrent replications share one fsync, group commit), and
            // before the row is awaited: the row is queued already, so another replication's group commit of
            // the computers can store it while this one waits for the audit's sync — the two syncs overlap
            // instead of adding up. A crash between them audits a delivery whose answer never left: the trail
            // may name a key that was not sent, never miss one that was.
            messages.recordKeyDelivered(policyPayload.path("certificateId").asLong());
        }
        // answered once stored: a crash after the answer loses nothing the agent was told
        state.awaitStored(update.ticket());
        ObjectNode answer = messages.json().createObjectNode();
        answer.put("computerId", computer.id);
        answer.put("name", computer.name);
        answer.put("group", computer.group);
        answer.put("serverTime", now.toString());
        answer.put("interval", update.interval());
        if (policyPayload != null) {
            answer.set("policy", policyPayload);
        }
        if (update.certificateChanged()) {
            state.post(Topics.COMPUTER_CHANGED, Map.of("computer.id", computer.id, "certificate.id", certificate.id()));
        }
        state.replicated(computer.id);
        return new Answer(200, answer);
    }

    /** What a replication changed, read under the computer's lock for the answer given outside it. */
    private record Update(ComputerRecord computer, ObjectNode policy, long interval, long ticket, boolean certificateChanged) {
    }

    /** The computer of an agent that sent no (known) computer id: by its certificate, else by name, else new. Fleet lock held. */
    private Found firstReplication(CertificateInfo certificate, String host) {
        Optional<ComputerRecord> found = computers.recordByCertificate(certificate.id());
        if (found.isEmpty()) {
            found = computers.unboundRecordByName(host);
        }
        if (found.isPresent()) {
            return new Found(found.get(), false);
        }
        String group = certificate.description() != null
                && certificate.description().startsWith(Enrolment.ENROLLED_MARK)
                && state.groups.containsKey(certificate.homeGroup()) ? certificate.homeGroup() : Group.LOST_AND_FOUND;
        String name = computers.nameTaken(host) ? host + "-" + certificate.id() : host;
        ComputerRecord added = computers.newComputer(name, group);
        LOG.info("computer " + added.name + " (id " + added.id + ") appeared in " + added.group);
        return new Found(added, true);
    }

    private record Found(ComputerRecord computer, boolean added) {
    }

    private Update update(Found found, CertificateInfo certificate, String fingerprint, String host, JsonNode request,
            JsonNode report, Instant now, Settings s) {
        return update(found.computer(), found.added(), certificate, fingerprint, host, request, report, now, s);
    }

    /** The replication's changes to the computer; the caller holds its lock (or the fleet lock). */
    private Update update(ComputerRecord computer, boolean added, CertificateInfo certificate, String fingerprint,
            String host, JsonNode request, JsonNode report, Instant now, Settings s) {
        boolean certificateChanged = !added && computer.certificateId != certificate.id();
        computer.lastReplication = now;
        computer.certificateId = certificate.id();
        state.certificateBound(computer, certificate.id());
        computer.lastCaId = certificate.caId();
        computer.fingerprint = fingerprint;
        computer.agentVersion = AgentMessages.text(request, "agentVersion", 64);
        computer.hostName = host;
        computer.replicationsSincePolicy++;
        if (report != null && report.path("id").asLong() == computer.policyId) {
            String reported = report.path("state").asText("");
            if (reported.equals("APPLIED")) {
                computer.policyState = PolicyState.State.APPLIED;
                computer.policyReason = "";
                computer.policyAt = now;
            } else if (reported.equals("FAILED")) {
                computer.policyState = PolicyState.State.FAILED;
                computer.policyReason = AgentMessages.text(report, "reason", 500);
                computer.policyAt = now;
                LOG.warning("computer " + computer.name + " could not apply policy " + computer.policyId + ": "
                        + computer.policyReason);
            }
        }
        Optional<Policy> policy = policies.effectivePolicy(computer.group, Role.AGENT);
        ObjectNode payload = policy.isPresent() ? policyFor(computer, policy.get(), report, now) : null;
        long interval = interval(computer, s);
        return new Update(computer, payload, interval, state.changed(computer), certificateChanged);
    }

    private boolean bound(ComputerRecord computer, CertificateInfo certificate) {
        return computer.certificateId == 0 || computer.certificateId == certificate.id()
                || computer.policyCertificateId == certificate.id();
    }

    /** Caller holds the computer's lock. The payload to send, or null when the agent has it already. */
    private ObjectNode policyFor(ComputerRecord computer, Policy policy, JsonNode report, Instant now) {
        boolean reportedThis = report != null && report.path("id").asLong() == policy.id();
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
                policies.requireUsable(c);
            } else if (computer.policyCertificateId != 0) {
                certificateId = computer.policyCertificateId;
            } else {
                CaInfo ca = store.ca(policy.issuingCaId()).orElseThrow(() -> new IllegalArgumentException(
                        "policy " + policy.id() + " refers to CA " + policy.issuingCaId() + ", which no longer exists"));
                CertificateInfo issued = store.issue(new IssueRequest(ca.id(), policy.component(), computer.certificateHost(),
                        List.of(), null, "policy " + policy.id() + " for computer " + computer.id, computer.group, null,
                        null), AgentMessages.ACTOR);
                certificateId = issued.id();
            }
            computer.policyCertificateId = certificateId;
            state.certificateBound(computer, certificateId);
            ObjectNode payload = messages.json().createObjectNode();
            payload.put("id", policy.id());
            payload.put("certificateId", certificateId);
            messages.putKeyMaterial(payload, certificateId);
            ArrayNode cas = payload.putArray("trustedCas");
            for (long caId : policy.trustedCaIds()) {
                cas.add(messages.caPem(caId));
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

    /**
     * The policy default; the short one once after an admin asked for an early replication; longer
     * when the fleet would need more replications per second than the server plans for.
     */
    long interval(ComputerRecord computer, Settings s) {
        if (computer.earlyReplication) {
            computer.earlyReplication = false;
            return s.earlyIntervalSeconds();
        }
        return Computers.plannedInterval(state.computerCount(), s.intervalSeconds(), s.capacityPerSecond());
    }
}
