package org.certwatch.fleet.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.certwatch.agent.Agent;
import org.certwatch.agent.TlsVersion;
import org.certwatch.api.Role;
import org.certwatch.api.Topics;
import org.certwatch.api.fleet.Computer;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.PolicyState;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CaRequest;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.ExportFormat;
import org.certwatch.api.store.IssueRequest;
import org.certwatch.api.store.RevocationReason;
import org.certwatch.fleet.internal.endpoint.AgentEndpoint;
import org.certwatch.fleet.internal.endpoint.AgentMessages;
import org.certwatch.fleet.internal.endpoint.AgentTls;
import org.certwatch.fleet.internal.endpoint.Enrolment;
import org.certwatch.fleet.internal.endpoint.Replication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real agent against the real endpoint over mutual TLS on loopback, with the real store. */
class ReplicationTest {
    @TempDir
    Path data;
    @TempDir
    Path agents;

    private Agent agent(FleetHarness h, String name) throws IOException {
        return new Agent(agents.resolve(name), "127.0.0.1", h.port(), name, Clock.systemUTC());
    }

    private static String token(FleetHarness h, String group, int uses) {
        return h.fleet.createEnrolmentToken(group, Duration.ofHours(1), uses, "test").text();
    }

    @Test
    void enrolReplicatePolicyFromSecondCaAndAuthenticateWithIt() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            h.fleet.createGroup("All/Berlin", "", "test");
            Agent a = agent(h, "pc-berlin");
            a.enrol(token(h, "All/Berlin", 1));
            Agent.Outcome first = a.replicate();
            assertTrue(first.ok(), first.message());
            Computer c = h.fleet.computer(first.computerId()).orElseThrow();
            assertEquals("All/Berlin", c.group());
            assertEquals("pc-berlin", c.name());
            assertEquals(a.certificate() == null ? "" : AgentMessages.fingerprint(a.certificate()),
                    c.lastCertificateFingerprint());
            assertEquals(60, first.interval());
            assertTrue(h.events.contains(Topics.COMPUTER_ADDED));
            // a replication is counted and announced with its second's others, not posted on its own
            assertFalse(h.events.contains(Topics.COMPUTER_REPLICATED));
            assertFalse(h.events.contains(Topics.COMPUTER_CHANGED));
            assertEquals(1, h.fleet.state.replicationCount());
            // keys on disk are owner-only
            for (Path f : Files.list(a.folder()).toList()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(f);
                assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), mode, f.toString());
            }
            // a one-time token is used up
            String once = token(h, "All/Berlin", 1);
            agent(h, "second").enrol(once);
            IOException used = assertThrows(IOException.class, () -> agent(h, "third").enrol(once));
            assertTrue(used.getMessage().contains("used already"), used.getMessage());

            CaInfo oldCa = h.store.ca(h.store.serverCertificate().orElseThrow().caId()).orElseThrow();
            CaInfo newCa = h.store.createCa(CaRequest.of("CN=New CA"), "test");
            h.trustNewCa();
            h.fleet.createPolicy("All/Berlin", Role.AGENT, 0, newCa.id(), List.of(oldCa.id(), newCa.id()), "", "test");
            Agent.Outcome delivered = a.replicate();
            assertTrue(delivered.ok(), delivered.message());
            long policyId = h.fleet.policies().get(0).id();
            assertEquals(policyId, delivered.appliedPolicy(), delivered.message());
            CertificateInfo issued = h.store.certificateByFingerprint(AgentMessages.fingerprint(a.certificate())).orElseThrow();
            assertEquals(newCa.id(), issued.caId());
            assertEquals(PolicyState.State.PENDING, h.fleet.policyState(c.id()).orElseThrow().state());

            assertFalse(h.events.contains(Topics.COMPUTER_CHANGED));
            Agent.Outcome confirmed = a.replicate();
            assertTrue(confirmed.ok(), confirmed.message());
            // the monitor follows the certificate the computer authenticates with
            assertTrue(h.events.contains(Topics.COMPUTER_CHANGED));
            assertEquals(issued.id(), h.fleet.computer(c.id()).orElseThrow().certificateId(),
                    "the server sees the certificate the agent last authenticated with");
            assertEquals(PolicyState.State.APPLIED, h.fleet.policyState(c.id()).orElseThrow().state());
            assertEquals(1, h.fleet.computer(c.id()).orElseThrow().replicationsSincePolicy());

            // the old CA cannot be deleted while nobody... the new CA can't while the computer uses it
            assertFalse(h.fleet.blockingReasons(newCa).isEmpty());
            assertTrue(h.fleet.blockingReasons(oldCa).isEmpty());

            // an agent restarted from its folder keeps its identity
            Agent restarted = agent(h, "pc-berlin");
            assertEquals(c.id(), restarted.computerId());
            assertTrue(restarted.replicate().ok());
        }
    }

    @Test
    void pkcs12AgentLandsInLostAndFoundAndRevocationIsRefused() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            long caId = h.store.serverCertificate().orElseThrow().caId();
            CertificateInfo cert = h.store.issue(IssueRequest.of(caId, Role.AGENT, "imported-pc"), "test");
            Path p12 = agents.resolve("imported.p12");
            Files.write(p12, h.store.export(cert.id(), ExportFormat.PKCS12, "p12-password".toCharArray(), "test"));
            Agent a = agent(h, "imported-pc").resume(false);
            a.importPkcs12(p12, "p12-password".toCharArray());
            Agent.Outcome o = a.replicate();
            assertTrue(o.ok(), o.message());
            assertEquals(Group.LOST_AND_FOUND, h.fleet.computer(o.computerId()).orElseThrow().group());

            h.store.revoke(cert.id(), RevocationReason.KEY_COMPROMISE, "test");
            Agent.Outcome refused = a.replicate();
            assertFalse(refused.ok());
            assertTrue(refused.message().contains("refused"), refused.message());

            // a resumed session skips the handshake check; the request is still refused
            Agent resumed = agent(h, "imported-pc").resume(true);
            Agent.Outcome again = resumed.replicate();
            assertFalse(again.ok(), again.message());
        }
    }

    @Test
    void badInputIsRefusedWithAReasonAndOthersKeepReplicating() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            Agent good = agent(h, "good");
            good.enrol(token(h, Group.ROOT, 1));
            assertTrue(good.replicate().ok());

            // a malformed body, straight through the protocol with the agent's real certificate
            assertEquals(400, h.replication.replicate("{not json".getBytes(StandardCharsets.UTF_8), good.certificate()).status());
            assertEquals(400, h.replication.replicate("[]".getBytes(StandardCharsets.UTF_8), good.certificate()).status());
            assertEquals(401, h.replication.replicate("{}".getBytes(StandardCharsets.UTF_8), null).status());
            AgentMessages.Answer noTime = h.replication.replicate(("{\"certificateFingerprint\":\""
                    + AgentMessages.fingerprint(good.certificate()) + "\",\"hostName\":\"good\"}").getBytes(StandardCharsets.UTF_8),
                    good.certificate());
            assertEquals(400, noTime.status());
            assertTrue(noTime.body().path("error").asText().contains("time"), noTime.body().toString());

            // an agent whose clock is far off (here: the server's moved an hour)
            h.clock.advance(Duration.ofHours(1));
            Agent.Outcome skewed = good.replicate();
            assertFalse(skewed.ok());
            assertTrue(skewed.message().contains("clock is off"), skewed.message());
            h.clock.advance(Duration.ofHours(-1));

            // a certificate from a CA the server does not trust (deleted, so not trusted any more)
            CaInfo foreign = h.store.createCa(CaRequest.of("CN=Foreign CA"), "test");
            CertificateInfo foreignCert = h.store.issue(IssueRequest.of(foreign.id(), Role.AGENT, "foreign"), "test");
            Path p12 = agents.resolve("foreign.p12");
            Files.write(p12, h.store.export(foreignCert.id(), ExportFormat.PKCS12, "p12-password".toCharArray(), "test"));
            h.store.deleteCa(foreign.id(), "test: untrusted", "test");
            Agent stranger = agent(h, "stranger").resume(false);
            stranger.importPkcs12(p12, "p12-password".toCharArray());
            Agent.Outcome refused = stranger.replicate();
            assertFalse(refused.ok());
            assertTrue(refused.message().contains("TLS handshake failed"), refused.message());

            // a policy referring to a certificate that was revoked since: reported, others keep working
            CertificateInfo shared = h.store.issue(IssueRequest.of(h.store.serverCertificate().orElseThrow().caId(),
                    Role.AGENT, "shared"), "test");
            h.fleet.createPolicy(Group.ROOT, Role.AGENT, shared.id(), 0, List.of(), "", "test");
            h.store.revoke(shared.id(), RevocationReason.SUPERSEDED, "test");
            Agent.Outcome stillOk = good.replicate();
            assertTrue(stillOk.ok(), stillOk.message());
            PolicyState state = h.fleet.policyState(stillOk.computerId()).orElseThrow();
            assertEquals(PolicyState.State.FAILED, state.state());
            assertTrue(state.reason().contains("revoked"), state.reason());
        }
    }

    @Test
    void serverCertificateSwitchedAtRunTime() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            h.fleet.createGroup("All/Ready", "", "test");
            h.fleet.createGroup("All/Late", "", "test");
            Agent ready = agent(h, "ready");
            ready.enrol(token(h, "All/Ready", 1));
            Agent late = agent(h, "late").resume(false);
            late.enrol(token(h, "All/Late", 1));
            long oldCa = h.store.serverCertificate().orElseThrow().caId();
            CaInfo newCa = h.store.createCa(CaRequest.of("CN=Rollover CA"), "test");
            h.trustNewCa();
            h.fleet.createPolicy("All/Ready", Role.AGENT, 0, newCa.id(), List.of(oldCa, newCa.id()), "", "test");
            assertTrue(ready.replicate().ok());
            assertTrue(ready.replicate().ok());
            assertTrue(late.replicate().ok());

            CertificateInfo server = h.store.issue(new IssueRequest(newCa.id(), Role.SERVER, "*",
                    List.of("localhost", "127.0.0.1"), null, null, null, null, null), "test");
            h.store.setServerCertificate(server.id(), "test");
            assertTrue(h.events.contains(Topics.SERVER_CERTIFICATE_CHANGED));
            h.reloadTls();

            Agent.Outcome ok = ready.resume(false).replicate();
            assertTrue(ok.ok(), ok.message());
            Agent.Outcome refused = late.replicate();
            assertFalse(refused.ok());
            assertTrue(refused.message().contains("not issued by a CA this agent trusts"), refused.message());
            assertNotEquals(0, ok.computerId());
        }
    }

    @Test
    void intervalsAndSurvivingAServerOutage() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            h.fleet.createGroup("All/Lab", "", "test");
            Agent a = agent(h, "lab-pc");
            a.enrol(token(h, "All/Lab", 1));
            assertEquals(60, a.replicate().interval());
            // an admin asks for an early replication: once the short interval, then the default again
            assertEquals(1, h.fleet.requestEarlyReplication("All/Lab", "test"));
            assertEquals(1, a.replicate().interval());
            assertEquals(60, a.replicate().interval());
            // a fleet larger than interval × capacity gets a longer interval
            h.settings = new Replication.Settings(60, 1, 1, 300);
            h.fleet.addComputer("other-1", "All/Lab", "test");
            assertEquals(60, a.replicate().interval());
            for (int i = 2; i <= 70; i++) {
                h.fleet.addComputer("other-" + i, "All/Lab", "test");
            }
            assertEquals(71, a.replicate().interval());

            // the server goes away and comes back on the same port: the agent reports and carries on
            int port = h.port();
            h.endpoint.stop();
            Agent.Outcome down = a.replicate();
            assertFalse(down.ok());
            assertTrue(down.message().startsWith("server unreachable"), down.message());
            assertTrue(down.interval() <= 10, "retries soon: " + down.interval());
            h.endpoint = new AgentEndpoint("127.0.0.1", port, 4, AgentTls.build(h.store, h.trust).context(), h.messages,
                    new Enrolment(h.fleet.state, h.fleet.tokens, h.store, h.messages, () -> h.settings), h.replication);
            h.endpoint.start();
            Agent.Outcome back = a.replicate();
            assertTrue(back.ok(), back.message());
        }
    }

    @Test
    void aPolicyTheAgentCannotApplyIsReportedWithItsReasonAndNothingChanges() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            Agent a = agent(h, "stuck");
            a.enrol(token(h, Group.ROOT, 1));
            assertTrue(a.replicate().ok());
            String before = AgentMessages.fingerprint(a.certificate());
            CaInfo other = h.store.createCa(CaRequest.of("CN=Other CA"), "test");
            h.reloadTls();
            h.fleet.createPolicy(Group.ROOT, Role.AGENT, 0, other.id(), List.of(), "", "test");
            // the agent cannot switch its state file (a directory is in the way): the policy fails there
            Path stateFile = a.folder().resolve("state.json");
            Files.delete(stateFile);
            Files.createDirectories(stateFile.resolve("blocker"));
            Agent.Outcome o = a.replicate();
            assertTrue(o.ok(), o.message());
            assertTrue(o.message().contains("FAILED"), o.message());
            assertEquals(before, AgentMessages.fingerprint(a.certificate()), "the old identity stays in use");
            Agent.Outcome reported = a.replicate();
            assertTrue(reported.ok(), reported.message());
            PolicyState state = h.fleet.policyState(reported.computerId()).orElseThrow();
            assertEquals(PolicyState.State.FAILED, state.state());
            assertFalse(state.reason().isEmpty());
        }
    }

    @Test
    void aComputerWhoseLockIsHeldDoesNotHoldUpTheOthers() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            Agent slow = agent(h, "slow");
            Agent other = agent(h, "other");
            slow.enrol(token(h, Group.ROOT, 1));
            other.enrol(token(h, Group.ROOT, 1));
            long slowId = slow.replicate().computerId();
            assertTrue(other.replicate().ok());
            long before = h.fleet.state.replicationCount();
            // as while a replication of "slow" waits for the store (a policy's certificate being issued)
            try (var held = h.fleet.state.lock(h.fleet.computers.record(slowId))) {
                var done = java.util.concurrent.CompletableFuture.supplyAsync(other::replicate);
                Agent.Outcome o = done.get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertTrue(o.ok(), o.message());
            }
            assertTrue(slow.replicate().ok());
            assertEquals(before + 2, h.fleet.state.replicationCount());
        }
    }

    @Test
    void aResumedSessionOfARevokedCertificateIsRefusedInEitherTlsVersion() throws Exception {
        try (FleetHarness h = new FleetHarness(data).startEndpoint()) {
            for (TlsVersion version : TlsVersion.values()) {
                Agent a = agent(h, "pc-" + version).tls(version);
                a.enrol(token(h, Group.ROOT, 1));
                Agent.Outcome first = a.replicate();
                assertTrue(first.ok(), version + ": " + first.message());
                assertTrue(a.replicate().ok(), version + ": a resumed session replicates");
                CertificateInfo mine = h.store.certificateByFingerprint(AgentMessages.fingerprint(a.certificate())).orElseThrow();
                h.store.revoke(mine.id(), RevocationReason.KEY_COMPROMISE, "test");
                // the session was made before the revocation: the handshake is skipped, the request is not
                Agent.Outcome refused = a.replicate();
                assertFalse(refused.ok(), version + ": " + refused.message());
                assertEquals(403, refused.status(), version + ": " + refused.message());
            }
        }
    }
}
