package org.certwatch.source.tls.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.commons.persistence.FileDocument;
import org.certwatch.commons.persistence.SharedDocument;
import org.certwatch.commons.persistence.StoredDocument;
import org.certwatch.testing.MemoryPersistence;
import org.certwatch.testing.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Endpoints rules, kept durably and audited; what the scheduler is told. */
class EndpointAdministrationTest {
    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    @TempDir
    Path folder;
    private final List<AuditEntry> audit = new ArrayList<>();
    private final List<String> told = new ArrayList<>();

    private EndpointAdministration administration() throws Exception {
        return administration(new FileDocument(folder.resolve("endpoints.json"), true));
    }

    private EndpointAdministration administration(StoredDocument saved) throws Exception {
        return new EndpointAdministration(EndpointBook.open(saved), new SettableClock(NOW),
                audit::add, new EndpointAdministration.Listener() {
                    @Override
                    public void changed(Endpoint e) {
                        told.add("changed " + e.address());
                    }

                    @Override
                    public void removed(Endpoint e) {
                        told.add("removed " + e.address());
                    }
                }, () -> new Schedule(Duration.ofHours(1), Duration.ofSeconds(10), 0.1, 4, 2));
    }

    private static Endpoint endpoint(String host, int port, String sni, Duration interval, String ca) {
        return new Endpoint(null, host, port, sni, EndpointProtocol.TLS, "All", interval, ca, false, "", null);
    }

    @Test
    void twoServersNeitherReuseIdsNorBothAddOneAddress() throws Exception {
        try (MemoryPersistence shared = new MemoryPersistence()) {
            EndpointAdministration a = administration(new SharedDocument(shared.server("a"), "tls", "endpoints"));
            EndpointAdministration b = administration(new SharedDocument(shared.server("b"), "tls", "endpoints"));
            Endpoint first = a.create(endpoint("www.example.org", 443, "", null, ""), "admin");
            // B has not heard of A's change yet: its create starts from the saved book all the same
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> b.create(endpoint("www.example.org", 443, "", null, ""), "admin"));
            assertEquals("endpoint 1 already checks tls://www.example.org:443", twice.getMessage());
            Endpoint second = b.create(endpoint("mail.example.org", 443, "", null, ""), "admin");
            assertEquals(List.of("1", "2"), List.of(first.id(), second.id()));
        }
    }

    @Test
    void keepsEndpointsDurablyWithIdsNeverReused() throws Exception {
        EndpointAdministration a = administration();
        Endpoint web = a.create(endpoint("WWW.Example.org", 443, "", Duration.ofMinutes(5), ""), "admin");
        Endpoint mail = a.create(new Endpoint(null, "2001:db8::7", 587, "mail.example.org", EndpointProtocol.SMTP,
                "All/Zürich", null, "", true, "mail", null), "admin");
        assertEquals("1", web.id());
        assertEquals("tls://www.example.org:443", web.address());
        assertEquals("smtp://[2001:db8::7]:587#mail.example.org", mail.address());
        assertEquals(NOW, web.createdAt());
        a.delete("1", "admin");
        Endpoint third = a.create(endpoint("192.0.2.7", 8443, "", null, ""), "admin");
        assertEquals("3", third.id());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                folder.resolve("endpoints.json"))));

        EndpointAdministration reopened = administration();
        assertEquals(List.of(mail, third), reopened.endpoints());
        assertEquals(List.of("changed tls://www.example.org:443", "changed smtp://[2001:db8::7]:587#mail.example.org",
                "removed tls://www.example.org:443", "changed tls://192.0.2.7:8443"), told);
        assertEquals(List.of("tls.endpoint.create", "tls.endpoint.create", "tls.endpoint.delete", "tls.endpoint.create"),
                audit.stream().map(AuditEntry::action).toList());
        assertEquals("endpoint:1", audit.get(2).target());
    }

    @Test
    void refusesBadEndpointsWithTheReasonAndAuditsTheRefusal() throws Exception {
        EndpointAdministration a = administration();
        a.create(endpoint("www.example.org", 443, "", null, ""), "admin");
        String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getEncoder().encodeToString(new byte[40])
                + "\n-----END CERTIFICATE-----\n";
        for (var bad : List.of(
                List.of(endpoint("bad host", 443, "", null, ""), "'bad host' is not a host name or an IP address"),
                List.of(endpoint("www.example.org", 0, "", null, ""), "port 0 is not between 1 and 65535"),
                List.of(endpoint("www.example.org", 444, "192.0.2.1", null, ""),
                        "'192.0.2.1' is not a DNS name (an SNI name is never an address)"),
                List.of(endpoint("www.example.org", 444, "", Duration.ofSeconds(5), ""),
                        "interval PT5S is below the minimum PT10S"),
                List.of(endpoint("www.example.org", 444, "", null, "not a certificate"),
                        "the extra CA is not PEM certificates: No certificate data found"),
                List.of(endpoint("WWW.example.org", 443, "", null, ""),
                        "endpoint 1 already checks tls://www.example.org:443"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> a.create((Endpoint) bad.get(0), "admin"));
            assertEquals(bad.get(1), e.getMessage());
        }
        IllegalArgumentException broken = assertThrows(IllegalArgumentException.class,
                () -> a.create(endpoint("www.example.org", 444, "", null, pem), "admin"));
        assertTrue(broken.getMessage().startsWith("the extra CA is not PEM certificates: "), broken.getMessage());
        assertEquals(1, a.endpoints().size());
        assertEquals(8, audit.size());
        assertTrue(audit.get(1).outcome().startsWith("refused: 'bad host'"), audit.get(1).outcome());
    }

    @Test
    void anUpdateThatMovesTheEndpointRemovesItsOldLocation() throws Exception {
        EndpointAdministration a = administration();
        Endpoint e = a.create(endpoint("www.example.org", 443, "", null, ""), "admin");
        told.clear();
        a.update(new Endpoint(e.id(), "www.example.org", 8443, "", EndpointProtocol.TLS, "All", null, "", false, "",
                null), "admin");
        assertEquals(List.of("removed tls://www.example.org:443", "changed tls://www.example.org:8443"), told);
        assertEquals(e.createdAt(), a.endpoint(e.id()).orElseThrow().createdAt());
    }

    @Test
    void endpointsFollowTheRenamesOfTheirGroupOnceDurablyOnEveryServer() throws Exception {
        try (MemoryPersistence shared = new MemoryPersistence()) {
            EndpointBook a = EndpointBook.open(new SharedDocument(shared.server("a"), "tls", "endpoints"));
            EndpointBook b = EndpointBook.open(new SharedDocument(shared.server("b"), "tls", "endpoints"));
            Endpoint lab = a.add(new Endpoint(null, "lab.example.org", 443, "", EndpointProtocol.TLS, "All/Berlin/Lab/Bench",
                    null, "", false, "", NOW));
            Endpoint labs = a.add(new Endpoint(null, "labs.example.org", 443, "", EndpointProtocol.TLS, "All/Berlin/Labs",
                    null, "", false, "", NOW));
            List<org.certwatch.api.fleet.GroupRename> renames = List.of(
                    new org.certwatch.api.fleet.GroupRename(1, "All/Berlin/Lab", "All/Berlin/Lab-2", NOW));
            // both servers got the event: the first moves the endpoint, the second finds nothing to move
            assertTrue(a.followRenames(renames));
            assertTrue(!b.followRenames(renames));
            assertEquals("All/Berlin/Lab-2/Bench", b.get(lab.id()).orElseThrow().homeGroup());
            assertEquals("All/Berlin/Labs", b.get(labs.id()).orElseThrow().homeGroup());
            assertEquals(lab.address(), b.get(lab.id()).orElseThrow().address());
            EndpointBook c = EndpointBook.open(new SharedDocument(shared.server("c"), "tls", "endpoints"));
            assertEquals("All/Berlin/Lab-2/Bench", c.get(lab.id()).orElseThrow().homeGroup(), "stored so");
        }
    }
}
