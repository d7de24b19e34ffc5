package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.certwatch.agent.Agent;
import org.certwatch.api.Role;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.fleet.FleetConflictException;
import org.certwatch.api.fleet.Policy;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.fleet.internal.rollover.Rollovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Changing and deleting policies: a change is delivered again to every computer; a running rollover's policy stays. */
class PolicyChangesTest {
    @TempDir
    Path data;
    @TempDir
    Path agents;

    /** An agent enrolled into All/Lab that replicated once. */
    private Agent labAgent(FleetHarness h) throws Exception {
        h.fleet.createGroup("All/Lab", "", "test");
        Agent a = new Agent(agents.resolve("pc"), "127.0.0.1", h.port(), "pc", Clock.systemUTC());
        a.enrol(h.fleet.createEnrolmentToken("All/Lab", Duration.ofHours(1), 1, "test").text());
        assertTrue(a.replicate().ok());
        return a;
    }

    @Test
    void aChangedPolicyIsDeliveredAgainAndCountsFromZeroAndSurvivesARestart() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            Agent a = labAgent(h);
            CaInfo oldCa = h.store.ca(h.store.serverCertificate().orElseThrow().caId()).orElseThrow();
            CaInfo newCa = h.store.createCa(CaRequest.of("CN=Second CA"), "test");
            h.trustNewCa();
            Policy p = h.fleet.createPolicy("All/Lab", Role.AGENT, 0, oldCa.id(), List.of(oldCa.id()), "first", "alice");
            assertEquals(p.id(), a.replicate().appliedPolicy());
            assertTrue(a.replicate().ok());
            long computer = h.fleet.computers.computers().get(0).id();
            assertEquals(PolicyState.State.APPLIED, h.fleet.policyState(computer).orElseThrow().state());

            Policy changed = h.fleet.admin.updatePolicy(p.id(), 0, newCa.id(), List.of(oldCa.id(), newCa.id()), null, "alice");
            assertEquals(p.id(), changed.id());
            assertEquals("first", changed.description(), "no description given keeps it");
            assertEquals(List.of(oldCa.id(), newCa.id()), changed.trustedCaIds());
            assertEquals(PolicyState.State.NONE, h.fleet.policyState(computer).orElseThrow().state());
            assertEquals(0, h.fleet.computers.computer(computer).orElseThrow().replicationsSincePolicy());
            Agent.Outcome again = a.replicate();
            assertEquals(p.id(), again.appliedPolicy(), again.message());
            assertTrue(a.replicate().ok());
            assertEquals(newCa.id(), h.store.certificate(h.fleet.computers.computer(computer).orElseThrow().certificateId())
                    .orElseThrow().caId(), "the agent now authenticates with a certificate of the new CA");

            // refused changes name why and change nothing
            assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.admin.updatePolicy(p.id(), 0, 0, List.of(), "", "alice"));
            assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.admin.updatePolicy(p.id(), 0, newCa.id(), List.of(99_999L), "", "alice"));
            assertThrows(IllegalArgumentException.class,
                    () -> h.fleet.admin.updatePolicy(4711, 0, newCa.id(), List.of(), "", "alice"));
            assertEquals(changed, h.openFleet().admin.policies().get(0), "the change is stored");
            assertEquals(1, h.audit.list(AuditQuery.all()).stream()
                    .filter(e -> e.action().equals("policy.update") && e.outcome().equals("ok")).count());
        }
    }

    @Test
    void aPolicyARunningRolloverNeedsIsNeitherChangedNorDeleted() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            labAgent(h); // a computer for the rollover to target
            Rollovers service = new Rollovers(h.fleet.state, h.fleet.computers, h.fleet.policies, h.store, Duration.ofHours(24));
            service.open();
            h.fleet.policies.rollovers = service;
            long oldCa = h.store.serverCertificate().orElseThrow().caId();
            Rollover r = service.start(oldCa, RolloverOptions.defaults(), "alice");
            h.reloadTls();
            service.advance(r.id(), "alice");
            r = service.advance(r.id(), "alice");
            assertEquals(3, r.completed());
            long needed = r.policyIds().get(0);
            FleetConflictException deleted = assertThrows(FleetConflictException.class,
                    () -> h.fleet.admin.deletePolicy(needed, "bob"));
            assertTrue(deleted.getMessage().contains("rollover " + r.id()), deleted.getMessage());
            long newCa = r.newCaId();
            assertThrows(FleetConflictException.class,
                    () -> h.fleet.admin.updatePolicy(needed, 0, newCa, List.of(), "", "bob"));
            assertEquals(1, h.fleet.admin.policies().size());
            assertTrue(h.audit.list(AuditQuery.all()).stream().anyMatch(e -> e.action().equals("policy.delete")
                    && e.actor().equals("bob") && e.outcome().startsWith("refused: policy " + needed)));

            // a policy no rollover needs goes
            Policy other = h.fleet.createPolicy("All", Role.PROXY, 0, newCa, List.of(), "", "bob");
            h.fleet.admin.deletePolicy(other.id(), "bob");
            assertEquals(List.of(needed), h.fleet.admin.policies().stream().map(Policy::id).toList());
        }
    }
}
