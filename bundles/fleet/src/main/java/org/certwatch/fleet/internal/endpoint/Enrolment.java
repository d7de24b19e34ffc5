package org.certwatch.fleet.internal.endpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateStore;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.fleet.internal.computers.EnrolmentTokens;
import org.certwatch.fleet.internal.computers.TokenText;
import org.certwatch.fleet.internal.endpoint.AgentMessages.Answer;
import org.certwatch.fleet.internal.state.FleetState;

/**
 * One enrolment ({@code POST /agent/v1/enrol}, a one-time token instead of a client certificate): the
 * token is used up and the agent gets its first certificate, key and the CA to trust.
 */
public final class Enrolment {
    private static final Logger LOG = Logger.getLogger("org.certwatch.fleet");
    /** The description of an enrolment's certificate starts so; its first replication puts it in the token's group. */
    static final String ENROLLED_MARK = "enrolled with token ";

    private final FleetState state;
    private final EnrolmentTokens tokens;
    private final CertificateStore store;
    private final AgentMessages messages;
    private final Supplier<Replication.Settings> settings;

    public Enrolment(FleetState state, EnrolmentTokens tokens, CertificateStore store, AgentMessages messages,
            Supplier<Replication.Settings> settings) {
        this.state = state;
        this.tokens = tokens;
        this.store = store;
        this.messages = messages;
        this.settings = settings;
    }

    public Answer enrol(byte[] body, String remote) {
        JsonNode request;
        try {
            request = messages.parse(body);
        } catch (IllegalArgumentException e) {
            return messages.error(400, e.getMessage());
        }
        String token = request.path("token").asText("");
        String host = request.path("hostName").asText("");
        if (!host.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,62}[A-Za-z0-9])?")) {
            return messages.error(400, "hostName must be a DNS-style host name of at most 64 characters");
        }
        Optional<String> skew = messages.clockSkew(request);
        if (skew.isPresent()) {
            return messages.error(400, skew.get());
        }
        String group;
        try {
            group = tokens.redeem(token);
        } catch (IllegalArgumentException e) {
            LOG.warning("enrolment from " + remote + " (" + host + ") refused: " + e.getMessage());
            state.record(AgentMessages.ACTOR, "agent.enrol", "host:" + host, "refused: " + e.getMessage());
            return messages.error(403, e.getMessage());
        }
        try {
            CertificateInfo server = store.serverCertificate().orElseThrow(
                    () -> new IllegalStateException("the server has no certificate"));
            IssueRequest issue = new IssueRequest(server.caId(), Role.AGENT, host, List.of(), null,
                    ENROLLED_MARK + TokenText.parse(token).id(), group, null, null);
            CertificateInfo issued = store.issue(issue, AgentMessages.ACTOR);
            ObjectNode answer = messages.json().createObjectNode();
            answer.put("certificateId", issued.id());
            messages.putKeyMaterial(answer, issued.id());
            messages.recordKeyDelivered(issued.id());
            ArrayNode cas = answer.putArray("trustedCas");
            cas.add(messages.caPem(server.caId()));
            answer.put("interval", settings.get().intervalSeconds());
            state.record(AgentMessages.ACTOR, "agent.enrol", "certificate:" + issued.id(), "ok: " + host + " in " + group);
            return new Answer(200, answer);
        } catch (CertificateStoreException | IllegalStateException e) {
            LOG.warning("enrolment of " + host + " failed: " + e.getMessage());
            return messages.error(500, "enrolment failed: " + e.getMessage());
        }
    }
}
