package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.certwatch.agent.Agent;
import org.certwatch.api.fleet.Group;
import org.certwatch.fleet.internal.endpoint.AgentEndpoint;
import org.certwatch.fleet.internal.endpoint.AgentTls;
import org.certwatch.fleet.internal.endpoint.AgentTrustManager;
import org.certwatch.fleet.internal.endpoint.Enrolment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21, item 1: while the fleet's state or the store is gone (the backend's bundle removed) the agent endpoint
 * keeps its port and answers every request 503 with {@code Retry-After}, which the real agent reports and waits
 * out; with them back the same agent replicates again.
 */
class StorageGoneEndpointTest {
    @TempDir
    Path data;
    @TempDir
    Path agents;

    @Test
    void agentsGet503WhileTheStateIsGoneAndReplicateWhenItIsBack() throws Exception {
        try (FleetHarness h = new FleetHarness(data)) {
            AgentEndpoint.Handlers served = new AgentEndpoint.Handlers(h.messages,
                    new Enrolment(h.fleet.state, h.fleet.tokens, h.store, h.messages, () -> h.settings), h.replication);
            AtomicReference<AgentEndpoint.Handlers> handlers = new AtomicReference<>(served);
            AtomicBoolean storeGone = new AtomicBoolean();
            AgentTrustManager trust = new AgentTrustManager(() -> storeGone.get() ? null : h.store, h.clock);
            h.endpoint = new AgentEndpoint("127.0.0.1", 0, 4, AgentTls.build(h.store, trust).context(), handlers::get);
            h.endpoint.start();
            Agent agent = new Agent(agents.resolve("pc"), "127.0.0.1", h.port(), "pc", Clock.systemUTC());
            agent.enrol(h.fleet.createEnrolmentToken(Group.ROOT, Duration.ofHours(1), 1, "test").text());
            assertTrue(agent.replicate().ok());

            handlers.set(null);
            storeGone.set(true);
            Agent.Outcome refused = agent.replicate();
            assertEquals(503, refused.status(), refused.message());
            assertTrue(refused.message().startsWith("refused: storage unavailable, nothing was changed; try again later: the"
                    + " fleet's state or the certificate store is not running"), refused.message());
            assertTrue(refused.interval() <= 10, "tries again soon: " + refused.interval());

            storeGone.set(false);
            handlers.set(served);
            Agent.Outcome back = agent.replicate();
            assertTrue(back.ok(), back.message());
        }
    }
}
