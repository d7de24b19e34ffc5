package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.certwatch.agent.Agent;
import org.certwatch.api.Topics;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.audit.AuditQuery;
import org.certwatch.api.rollover.Rollover;
import org.certwatch.api.rollover.RolloverComputer;
import org.certwatch.api.rollover.RolloverOptions;
import org.certwatch.api.rollover.RolloverRefusedException;
import org.certwatch.api.rollover.StepState;
import org.certwatch.api.store.CaStatus;
import org.certwatch.api.store.CertificateStoreException;
import org.certwatch.fleet.internal.console.RolloverCommands;
import org.certwatch.fleet.internal.endpoint.AgentMessages;
import org.certwatch.fleet.internal.rollover.Rollovers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollover's gates with the real store, the real endpoint and real agents over mutual TLS. */
class RolloverTest {
    @TempDir
    Path data;
    @TempDir
    Path agentDir;

    private Rollovers rollovers(FleetHarness h, Fleet fleet) throws Exception {
        Rollovers r = new Rollovers(fleet.state, fleet.computers, fleet.policies, h.store, Duration.ofHours(24));
        r.open();
        h.guards.clear();
        h.guards.add(fleet.computers);
        h.guards.add(r);
        return r;
    }

    private List<Agent> agents(FleetHarness h, int n) throws Exception {
        h.fleet.createGroup("All/Lab", "", "test");
        String token = h.fleet.createEnrolmentToken("All/Lab", Duration.ofHours(1), n, "test").text();
        List<Agent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Agent a = new Agent(agentDir.resolve("a" + i), "127.0.0.1", h.port(), "pc-" + i, Clock.systemUTC());
            a.enrol(token);
            assertTrue(a.replicate().ok());
            out.add(a);
        }
        return out;
    }

    private static void replicate(List<Agent> agents) {
        for (Agent a : agents) {
            Agent.Outcome o = a.replicate();
            assertTrue(o.ok(), o.message());
        }
    }

    private long oldCa(FleetHarness h) {
        return h.store.serverCertificate().orElseThrow().caId();
    }

    @Test
    void sixStepsWithGatesThatNameTheBlockingComputers() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            List<Agent> agents = agents(h, 3);
            Rollovers service = rollovers(h, h.fleet);
            long oldCa = oldCa(h);
            Rollover r = service.start(oldCa, RolloverOptions.defaults(), "alice");
            assertEquals(1, r.completed());
            assertNotEquals(0, r.newCaId());
            h.reloadTls();
            r = service.advance(r.id(), "alice");
            assertEquals(2, r.completed());
            assertEquals(3, r.computers().size());
            assertNotEquals(0, r.newServerCertificateId());
            r = service.advance(r.id(), "alice");
            assertEquals(3, r.completed());

            // step 5 before step 4 is satisfied: refused, naming every computer still missing
            RolloverRefusedException early = assertThrows(RolloverRefusedException.class, () -> service.advance(1, "alice"));
            assertEquals(3, early.blockers().size(), early.getMessage());
            assertTrue(h.rolloverEvents.contains(Topics.ROLLOVER_STEP_BLOCKED + " 4"), h.rolloverEvents.toString());
            // two agents replicate twice (receive, confirm); pc-2 stays away
            replicate(agents.subList(0, 2));
            replicate(agents.subList(0, 2));
            RolloverRefusedException one = assertThrows(RolloverRefusedException.class, () -> service.advance(1, "alice"));
            assertEquals(List.of("pc-2 (not seen since the policy)"), one.blockers());
            assertEquals(StepState.Status.BLOCKED, service.rollover(1).orElseThrow().steps().get(3).status());
            assertEquals(1, service.requestEarlyReplication(1, "alice"));
            replicate(agents.subList(2, 3));
            Agent.Outcome early2 = agents.get(2).replicate();
            assertTrue(early2.ok(), early2.message());
            r = service.advance(1, "alice");
            assertEquals(4, r.completed());
            assertEquals(3, r.count(RolloverComputer.Readiness.READY));
            for (Agent a : agents) {
                assertEquals(r.newCaId(), h.store.certificateByFingerprint(AgentMessages.fingerprint(a.certificate()))
                        .orElseThrow().caId());
            }

            r = service.advance(1, "alice");
            assertEquals(5, r.completed());
            assertEquals(r.newServerCertificateId(), h.store.serverCertificate().orElseThrow().id());
            h.reloadTls();
            replicate(agents);

            // the new CA cannot be deleted mid-rollover; the old one only by step 6
            CertificateStoreException newCa = assertThrows(CertificateStoreException.class,
                    () -> h.store.deleteCa(service.rollover(1).orElseThrow().newCaId(), null, "mallory"));
            assertTrue(newCa.getMessage().contains("new CA of rollover 1"), newCa.getMessage());

            r = service.advance(1, "alice");
            assertEquals(Rollover.State.DONE, r.state());
            assertEquals(CaStatus.DELETED, h.store.ca(oldCa).orElseThrow().status());
            assertTrue(h.store.certificate(r.oldServerCertificateId()).orElseThrow().revoked());
            assertTrue(h.rolloverEvents.contains(Topics.ROLLOVER_STEP_COMPLETED + " 6"), h.rolloverEvents.toString());
            List<AuditEntry> audit = h.audit.list(AuditQuery.all());
            for (int step = 1; step <= 6; step++) {
                String action = "rollover.step" + step;
                assertTrue(audit.stream().anyMatch(e -> e.action().equals(action) && e.actor().equals("alice")
                        && e.outcome().startsWith("ok")), action);
            }
            assertThrows(RolloverRefusedException.class, () -> service.advance(1, "alice"));
        }
    }

    @Test
    void stepSixWaitsForComputersOnTheOldCaUnlessForcedWithAReason() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            List<Agent> agents = agents(h, 2);
            Rollovers service = rollovers(h, h.fleet);
            long oldCa = oldCa(h);
            service.start(oldCa, RolloverOptions.defaults(), "alice");
            h.reloadTls();
            service.advance(1, "alice");
            service.advance(1, "alice");
            replicate(agents.subList(0, 1));
            replicate(agents.subList(0, 1));
            // the wait is over (24 h): step 4 proceeds without pc-1
            h.clock.advance(Duration.ofHours(24).plusSeconds(1));
            Rollover r = service.advance(1, "alice");
            assertEquals(4, r.completed());
            assertTrue(r.steps().get(3).detail().contains("pc-1"), r.steps().get(3).detail());
            service.advance(1, "alice");
            RolloverRefusedException inUse = assertThrows(RolloverRefusedException.class, () -> service.advance(1, "alice"));
            assertEquals(List.of("pc-1"), inUse.blockers());
            assertEquals(CaStatus.ACTIVE, h.store.ca(oldCa).orElseThrow().status());
            assertThrows(RolloverRefusedException.class, () -> service.force(1, "  ", "alice"));
            r = service.force(1, "pc-1 is being scrapped", "bob");
            assertEquals(Rollover.State.DONE, r.state());
            assertEquals("bob", r.forcedBy());
            assertEquals("pc-1 is being scrapped", r.forceReason());
            assertTrue(h.store.ca(oldCa).orElseThrow().deleteReason().contains("pc-1 is being scrapped"));
            assertTrue(h.audit.list(AuditQuery.all()).stream().anyMatch(e -> e.action().equals("rollover.step6-forced")
                    && e.actor().equals("bob") && e.outcome().contains("pc-1 is being scrapped")));
            // the straggler is refused from now on, and is told why
            h.reloadTls();
            Agent.Outcome refused = agents.get(1).replicate();
            assertFalse(refused.ok());
            assertTrue(refused.message().contains("CA this agent trusts"), refused.message());
        }
    }

    @Test
    void twoAdminsAdvancingTheSameStepAtOnceAdvanceItOneStep() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            agents(h, 1);
            Rollovers service = rollovers(h, h.fleet);
            service.start(oldCa(h), RolloverOptions.defaults(), "alice");
            h.reloadTls();
            // both saw the rollover after step 1 and press "advance" at the same moment
            java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
            List<java.util.concurrent.Future<Rollover>> clicks = new ArrayList<>();
            try {
                for (String admin : List.of("alice", "bob")) {
                    clicks.add(pool.submit(() -> {
                        together.await();
                        return service.advance(1, 1, admin);
                    }));
                }
                int advanced = 0;
                List<String> refusals = new ArrayList<>();
                for (java.util.concurrent.Future<Rollover> click : clicks) {
                    try {
                        assertEquals(2, click.get().completed());
                        advanced++;
                    } catch (java.util.concurrent.ExecutionException e) {
                        RolloverRefusedException refused = assertInstanceOf(RolloverRefusedException.class, e.getCause());
                        refusals.add(refused.getMessage());
                    }
                }
                assertEquals(1, advanced, refusals.toString());
                assertEquals(1, refusals.size());
                // the refusal names where the rollover is now and who took it there
                String winner = service.rollover(1).orElseThrow().steps().get(1).actor();
                assertTrue(refusals.get(0).contains("no longer after step 1: it is after step 2 (")
                        && refusals.get(0).contains("done by " + winner) && refusals.get(0).contains("next is step 3"),
                        refusals.get(0));
            } finally {
                pool.shutdownNow();
            }
            assertEquals(2, service.rollover(1).orElseThrow().completed());
            assertTrue(h.audit.list(AuditQuery.all()).stream().anyMatch(e -> e.action().equals("rollover.advance")
                    && e.outcome().startsWith("refused: not after step 1")));
            // a step number that no rollover has is a bad request, not a conflict
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> service.advance(1, 7, "alice"));
            assertFalse(bad instanceof RolloverRefusedException);
            // from the step it is at, it advances; without from (scripts), it advances whatever the step
            assertEquals(3, service.advance(1, 2, "alice").completed());
            assertThrows(RolloverRefusedException.class, () -> service.advance(1, 2, "bob"));
            assertEquals(3, service.rollover(1).orElseThrow().completed());

            // the console's rollover-advance ID FROM means the same: a stale FROM is refused and changes nothing
            RolloverRefusedException stale = assertThrows(RolloverRefusedException.class,
                    () -> RolloverCommands.advance(service, List.of("1", "2"), "console"));
            assertTrue(stale.getMessage().startsWith("rollover 1 is no longer after step 2: it is after step 3"), stale.getMessage());
            IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                    () -> RolloverCommands.advance(service, List.of("1", "three"), "console"));
            assertTrue(word.getMessage().contains("not 'three'"), word.getMessage());
            assertThrows(IllegalArgumentException.class, () -> RolloverCommands.advance(service, List.of("1", "9"), "console"));
            assertEquals(3, service.rollover(1).orElseThrow().completed());
            assertTrue(h.audit.list(AuditQuery.all()).stream().anyMatch(e -> e.actor().equals("console")
                    && e.action().equals("rollover.advance") && e.outcome().startsWith("refused: not after step 2")));
            // (step 4 waits for replications; its gate refusing is the gate's, not FROM's)
            RolloverRefusedException gate = assertThrows(RolloverRefusedException.class,
                    () -> RolloverCommands.advance(service, List.of("1", "3"), "console"));
            assertFalse(gate.getMessage().contains("no longer after"), gate.getMessage());
        }
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            agents(h, 1);
            Rollovers service = rollovers(h, h.fleet);
            long oldCa = oldCa(h);
            int cas = h.store.cas().size();
            // peer certificates beyond the new CA's end
            RolloverRefusedException beyond = assertThrows(RolloverRefusedException.class, () -> service.start(oldCa,
                    new RolloverOptions(null, Duration.ofDays(30), Duration.ofDays(60)), "alice"));
            assertTrue(beyond.getMessage().contains("end after the new CA"), beyond.getMessage());
            assertEquals(cas, h.store.cas().size());
            assertTrue(service.rollovers().isEmpty());
            assertThrows(RolloverRefusedException.class, () -> service.start(999, RolloverOptions.defaults(), "alice"));

            Rollover r = service.start(oldCa, new RolloverOptions("CN=Next CA", Duration.ofDays(400), null), "alice");
            // a second rollover of the same CA while one runs
            RolloverRefusedException twice = assertThrows(RolloverRefusedException.class,
                    () -> service.start(oldCa, RolloverOptions.defaults(), "alice"));
            assertTrue(twice.getMessage().contains("rollover " + r.id()), twice.getMessage());
            assertThrows(RolloverRefusedException.class, () -> service.force(r.id(), "why not", "alice"));
            assertThrows(RolloverRefusedException.class, () -> service.advance(42, "alice"));
            // the old CA cannot be deleted behind the rollover's back either
            assertThrows(CertificateStoreException.class, () -> h.store.deleteCa(oldCa, null, "mallory"));
            // a forced deletion of the new CA: step 2 then refuses, naming it
            h.store.deleteCa(r.newCaId(), "test", "mallory");
            RolloverRefusedException gone = assertThrows(RolloverRefusedException.class, () -> service.advance(r.id(), "alice"));
            assertTrue(gone.getMessage().contains("was deleted"), gone.getMessage());
            assertEquals(1, service.rollover(r.id()).orElseThrow().completed());
        }
    }

    @Test
    void peerCertificatesEndingAfterTheNewCaAreRefusedAtStepTwoNamingThem() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            agents(h, 2);
            Rollovers service = rollovers(h, h.fleet);
            Rollover r = service.start(oldCa(h), new RolloverOptions(null, Duration.ofDays(10), Duration.ofDays(10)),
                    "alice");
            // the new CA is backdated by the store's clock-skew margin, so its end is before now + 10 days
            RolloverRefusedException e = assertThrows(RolloverRefusedException.class, () -> service.advance(r.id(), "alice"));
            assertTrue(e.blockers().contains("the certificate of computer pc-0"), e.blockers().toString());
            assertTrue(e.blockers().stream().anyMatch(b -> b.startsWith("the server certificate")), e.blockers().toString());
            assertEquals(1, service.rollover(r.id()).orElseThrow().completed());
        }
    }

    @Test
    void aRestartResumesEveryStepWhereItWas() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            List<Agent> agents = agents(h, 2);
            Rollovers service = rollovers(h, h.fleet);
            Rollover r = service.start(oldCa(h), RolloverOptions.defaults(), "alice");
            h.reloadTls();
            for (int step = 1; step <= 5; step++) {
                Fleet reopened = h.openFleet();
                Rollovers again = rollovers(h, reopened);
                Rollover resumed = again.rollover(r.id()).orElseThrow();
                assertEquals(step, resumed.completed());
                assertEquals(service.rollover(r.id()).orElseThrow().steps(), resumed.steps());
                if (step == 3) {
                    replicate(agents);
                    replicate(agents);
                }
                r = service.advance(r.id(), "alice");
                h.reloadTls();
            }
            assertEquals(Rollover.State.DONE, r.state());
        }
    }

    @Test
    void aSwitchNotYetRecordedIsFoundOnOpen() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            List<Agent> agents = agents(h, 1);
            Rollovers service = rollovers(h, h.fleet);
            Rollover r = service.start(oldCa(h), RolloverOptions.defaults(), "alice");
            h.reloadTls();
            service.advance(r.id(), "alice");
            service.advance(r.id(), "alice");
            replicate(agents);
            replicate(agents);
            r = service.advance(r.id(), "alice");
            // as if the process died after the store switched but before the step was recorded
            h.store.setServerCertificate(r.newServerCertificateId(), "alice");
            Rollover resumed = rollovers(h, h.fleet).rollover(r.id()).orElseThrow();
            assertEquals(5, resumed.completed());
        }
    }
}
