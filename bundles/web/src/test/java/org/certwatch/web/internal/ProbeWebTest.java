package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.FindingKind;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.Observation;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.testing.MemoryDiscovery;
import org.certwatch.testing.MemoryEndpoints;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TLS probe's endpoints and discovery on the web handler (API and pages), over the memory doubles. */
class ProbeWebTest {
    private static final String ROOT = TestWeb.basic("root");
    private static final String BERLIN_ADMIN = TestWeb.basic("berlin-admin");
    private static final String JSON = "application/json";
    private TestWeb web;
    private MemoryEndpoints endpoints;
    private MemoryDiscovery discovery;
    private MemoryLocationRegistry registry;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        web.users.put("root", new User("root", "All", EnumSet.of(Permission.ADMINISTRATION,
                Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE), true, TestWeb.START));
        web.users.put("berlin-admin", new User("berlin-admin", "All/Berlin", EnumSet.of(Permission.ADMINISTRATION,
                Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE), true, TestWeb.START));
        endpoints = new MemoryEndpoints(web.clock);
        discovery = new MemoryDiscovery(web.clock, endpoints);
        registry = new MemoryLocationRegistry(web.clock);
        registry.addSource("tls");
        web.locations = registry;
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private static void assertProblem(TestWeb.Reply r, int status, String titlePart) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"), r.body());
        assertTrue(r.body().contains(titlePart), r.body());
    }

    private TestWeb.Reply post(String path, String body, String auth) throws Exception {
        return web.send("POST", path, body, "Authorization", auth, "Content-Type", JSON);
    }

    @Test
    void withoutTheTlsProbeFeatureEndpointsAndDiscoveryAnswer503SayingSo() throws Exception {
        assertProblem(web.get("/api/v1/endpoints", "Authorization", ROOT), 503, "feature 'tls-probe'");
        assertProblem(web.get("/api/v1/discovery/ranges", "Authorization", ROOT), 503, "feature 'tls-probe'");
        assertProblem(post("/api/v1/discovery/candidates/approve", "{\"host\":\"h\",\"port\":1}", ROOT), 503,
                "tls-probe");
        String[] session = web.login("root");
        assertTrue(web.get("/endpoints", "Cookie", session[0]).body().contains("not deployed"));
        assertTrue(web.get("/discovery", "Cookie", session[0]).body().contains("not deployed"));
    }

    @Test
    void onlyServerAdministratorsManageEndpointsAndDiscoveryAndRefusalsAreAudited() throws Exception {
        web.endpoints = endpoints;
        web.discovery = discovery;
        assertProblem(web.get("/api/v1/endpoints", "Authorization", BERLIN_ADMIN), 403, "server administrators");
        assertProblem(post("/api/v1/endpoints", "{\"host\":\"mail.example.org\",\"port\":587}", BERLIN_ADMIN), 403,
                "TLS endpoints are for server administrators");
        assertProblem(post("/api/v1/discovery/ranges", "{\"addresses\":\"127.0.0.1/30\",\"ports\":[443]}",
                TestWeb.basic("alice")), 403, "discovery ranges");
        String[] berlin = web.login("berlin-admin");
        TestWeb.Reply page = web.get("/discovery", "Cookie", berlin[0]);
        assertEquals(403, page.status(), page.body());
        assertTrue(page.body().contains("discovery ranges are for server administrators"), page.body());
        assertTrue(endpoints.endpoints().isEmpty());
        assertTrue(discovery.ranges().isEmpty());
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("web.source.endpoint")
                && e.outcome().contains("not a server administrator")), web.audit.toString());
        // the navigation offers the endpoints to server administrators only
        String[] root = web.login("root");
        assertTrue(web.get("/", "Cookie", root[0]).body().contains("href=\"/endpoints\""));
        String[] alice = web.login("alice");
        assertFalse(web.get("/", "Cookie", alice[0]).body().contains("href=\"/endpoints\""));
    }

    @Test
    void endpointsAreAddedEditedCheckedAndDeletedWithTheServicesRefusalsAs400() throws Exception {
        web.endpoints = endpoints;
        TestWeb.Reply created = post("/api/v1/endpoints", "{\"host\":\"[2001:db8::7]\",\"port\":443,"
                + "\"sniName\":\"www.example.org\",\"homeGroup\":\"All/Berlin\",\"interval\":\"PT5M\"}", ROOT);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"address\":\"tls://[2001:db8::7]:443#www.example.org\""), created.body());
        assertEquals("/api/v1/endpoints/1", created.header("location"));
        Endpoint e = endpoints.endpoint("1").orElseThrow();
        assertEquals("2001:db8::7", e.host());
        assertEquals(Duration.ofMinutes(5), e.interval());
        assertEquals(EndpointProtocol.TLS, e.protocol());

        assertProblem(post("/api/v1/endpoints", "{\"host\":\"mail.example.org\",\"port\":70000}", ROOT), 400,
                "endpoint not added: port 70000 is not 1-65535");
        assertProblem(post("/api/v1/endpoints", "{\"host\":\"mail.example.org\",\"port\":25,\"interval\":\"PT1S\"}",
                ROOT), 400, "below the minimum");
        assertProblem(post("/api/v1/endpoints", "{\"host\":\"mail.example.org\",\"port\":25,\"protocol\":\"gopher\"}",
                ROOT), 400, "unknown protocol 'gopher'");
        assertProblem(post("/api/v1/endpoints", "{\"port\":25}", ROOT), 400, "field 'host' is required");
        assertProblem(post("/api/v1/endpoints", "{\"host\":\"x\",\"port\":25,\"homeGroup\":\"All/Nowhere\"}", ROOT),
                400, "unknown group");

        TestWeb.Reply edited = web.send("PUT", "/api/v1/endpoints/1", "{\"protocol\":\"smtp\",\"port\":587}",
                "Authorization", ROOT, "Content-Type", JSON);
        assertEquals(200, edited.status(), edited.body());
        Endpoint after = endpoints.endpoint("1").orElseThrow();
        assertEquals(EndpointProtocol.SMTP, after.protocol());
        assertEquals("www.example.org", after.sniName(), "fields left out keep their value");
        assertEquals(Duration.ofMinutes(5), after.interval());

        TestWeb.Reply check = post("/api/v1/endpoints/1/check", "", ROOT);
        assertEquals(202, check.status(), check.body());
        assertEquals(List.of("1"), endpoints.checked);
        assertProblem(post("/api/v1/endpoints/9/check", "", ROOT), 404, "endpoint '9' not found");

        assertEquals(204, web.send("DELETE", "/api/v1/endpoints/1", null, "Authorization", ROOT).status());
        assertTrue(endpoints.endpoints().isEmpty());
        for (String action : List.of("create", "update", "check", "delete")) {
            assertTrue(web.audit.stream().anyMatch(a -> a.action().equals("web.source.endpoint." + action)
                    && a.outcome().startsWith("ok")), action + " " + web.audit);
        }
    }

    @Test
    void anEndpointShowsItsStateFindingsAndTheChainItPresented() throws Exception {
        web.endpoints = endpoints;
        Endpoint e = endpoints.create(new Endpoint(null, "shop.example", 443, "", EndpointProtocol.TLS, "All/Berlin",
                null, "", false, "", null), "root");
        CertificateInfo leaf = web.store.add(0, Role.MONITORED, "shop.example", "All/Berlin",
                TestWeb.START.plus(Duration.ofDays(40)));
        CertificateInfo intermediate = web.store.add(0, Role.MONITORED, "R3 intermediate", "All/Berlin",
                TestWeb.START.plus(Duration.ofDays(9)));
        CertificateInfo hidden = web.store.add(0, Role.MONITORED, "Hamburg cross-signer", "All/Hamburg",
                TestWeb.START.plus(Duration.ofDays(400)));
        LocationRef ref = new LocationRef("tls", LocationKind.ENDPOINT, e.address(), "All/Berlin");
        List<Finding> findings = List.of(
                new Finding(FindingKind.CHAIN_CERTIFICATE_EXPIRING, 2, "intermediate CN=R3 expires in 9 days"),
                new Finding(FindingKind.HOST_MISMATCH, 0, "CN=shop.example does not name www.shop.example"));
        registry.report(Observation.read(ref, Instant.parse("2026-05-01T10:00:00Z"), List.of(new byte[] {1}), findings,
                new EndpointProbe("TLSv1.3", "TLS_AES_128_GCM_SHA256", Duration.ofMillis(42), "127.0.0.1:443",
                        false)));
        var l = registry.location(ref).orElseThrow();
        registry.put(new org.certwatch.api.source.Location(l.id(), l.ref(), l.state(), leaf.id(),
                List.of(hidden.id(), intermediate.id()), null, "", 0, l.firstSeen(), l.lastCheck(), l.lastChange(), l.findings(),
                l.probe()));

        String api = web.get("/api/v1/endpoints/" + e.id(), "Authorization", ROOT).body();
        assertTrue(api.contains("\"state\":\"OK\""), api);
        assertTrue(api.contains("\"kind\":\"HOST_MISMATCH\",\"certificateIndex\":0"), api);
        assertTrue(api.contains("\"protocol\":\"TLSv1.3\""), api);
        String locationApi = web.get("/api/v1/locations/" + l.id(), "Authorization", TestWeb.basic("alice")).body();
        assertTrue(locationApi.contains("intermediate CN=R3 expires in 9 days"), locationApi);

        String[] alice = web.login("alice");
        String page = web.get("/locations/" + l.id(), "Cookie", alice[0]).body();
        assertTrue(page.contains("<strong>chain certificate expiring</strong>: intermediate CN=R3 expires in 9 days"),
                page);
        assertTrue(page.contains("TLSv1.3 · TLS_AES_128_GCM_SHA256 · 42 ms"), page);
        assertTrue(page.contains(Html.esc(intermediate.issuer())) && page.contains(">9</td>"), page);
        // alice does not see the Hamburg certificate at position 1: R3 keeps its position 2 and its finding
        assertTrue(page.matches("(?s).*<tr><td class=\"num\">2</td>(?:(?!<tr>).)*R3 intermediate(?:(?!<tr>).)*"
                + "expires in 9 days</td></tr>.*"), page);
        assertFalse(page.contains("Hamburg cross-signer"), page);
        assertTrue(web.get("/locations", "Cookie", alice[0]).body().contains("does not name www.shop.example"));
        assertTrue(web.get("/certificates/" + leaf.id(), "Cookie", alice[0]).body()
                .contains("does not name www.shop.example"), "the certificate page's locations show findings");
        String[] root = web.login("root");
        String list = web.get("/endpoints", "Cookie", root[0]).body();
        assertTrue(list.contains("tls://shop.example:443") && list.contains("expires in 9 days"), list);
    }

    @Test
    void theEndpointFormsPostWithTheCsrfToken() throws Exception {
        web.endpoints = endpoints;
        String[] root = web.login("root");
        String form = "host=mail.example.org&port=587&protocol=SMTP&sniName=&homeGroup=All&interval=&extraCaPem="
                + "&description=mx";
        assertEquals(403, web.send("POST", "/endpoints", form, "Cookie", root[0], "Content-Type",
                "application/x-www-form-urlencoded").status());
        TestWeb.Reply added = web.send("POST", "/endpoints", form + "&csrf=" + root[1], "Cookie", root[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, added.status(), added.body());
        assertEquals("smtp://mail.example.org:587", endpoints.endpoint("1").orElseThrow().address());
        String edit = web.get("/endpoints/1", "Cookie", root[0]).body();
        assertTrue(edit.contains("<option selected>SMTP</option>") && edit.contains("Check now"), edit);
        TestWeb.Reply bad = web.send("POST", "/endpoints/1", "port=0&csrf=" + root[1], "Cookie", root[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(400, bad.status(), bad.body());
        assertTrue(bad.body().contains("port 0 is not 1-65535"), bad.body());
    }

    @Test
    void rangesAreKeptRunAndTheirCandidatesApprovedOrDismissed() throws Exception {
        web.endpoints = endpoints;
        web.discovery = discovery;
        TestWeb.Reply created = post("/api/v1/discovery/ranges", "{\"addresses\":\"127.0.0.1/30\",\"ports\":[443,8443],"
                + "\"homeGroup\":\"All/Berlin\",\"every\":\"P1D\"}", ROOT);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"every\":\"PT24H\"") && created.body().contains("\"ports\":[443,8443]"),
                created.body());
        assertProblem(post("/api/v1/discovery/ranges", "{\"addresses\":\"0.0.0.0/0\",\"ports\":[443]}", ROOT), 400,
                "range not added: range 0.0.0.0/0 is larger than 4096 addresses");
        assertProblem(post("/api/v1/discovery/ranges", "{\"addresses\":\"127.0.0.1/30\"}", ROOT), 400,
                "field 'ports' is required");
        assertProblem(post("/api/v1/discovery/ranges", "{\"addresses\":\"127.0.0.1/30\",\"ports\":[1],"
                + "\"every\":\"daily\"}", ROOT), 400, "ISO-8601 duration");
        TestWeb.Reply put = web.send("PUT", "/api/v1/discovery/ranges/1", "{\"addFound\":true}", "Authorization",
                ROOT, "Content-Type", JSON);
        assertEquals(200, put.status(), put.body());
        assertTrue(discovery.range("1").orElseThrow().addFound());
        assertEquals("All/Berlin", discovery.range("1").orElseThrow().homeGroup());
        assertEquals(202, post("/api/v1/discovery/ranges/1/run", "", ROOT).status());
        assertEquals(List.of("1"), discovery.runs);

        discovery.found(new DiscoveredEndpoint("1", "127.0.0.1", 443, "CN=localhost", TestWeb.START, TestWeb.START));
        discovery.found(new DiscoveredEndpoint("1", "127.0.0.2", 443, "CN=other", TestWeb.START, TestWeb.START));
        String candidates = web.get("/api/v1/discovery/candidates", "Authorization", ROOT).body();
        assertTrue(candidates.contains("\"host\":\"127.0.0.1\"") && candidates.contains("CN=other"), candidates);
        TestWeb.Reply approved = post("/api/v1/discovery/candidates/approve", "{\"host\":\"127.0.0.1\",\"port\":443}",
                ROOT);
        assertEquals(201, approved.status(), approved.body());
        assertEquals("tls://127.0.0.1:443", endpoints.endpoints().get(0).address());
        assertProblem(post("/api/v1/discovery/candidates/approve", "{\"host\":\"127.0.0.1\",\"port\":443}", ROOT),
                404, "candidate 127.0.0.1:443 not found");

        String[] root = web.login("root");
        String page = web.get("/discovery", "Cookie", root[0]).body();
        assertTrue(page.contains("127.0.0.1/30") && page.contains("CN=other") && page.contains("Scan now"), page);
        TestWeb.Reply dismissed = web.send("POST", "/discovery/candidates/dismiss", "host=127.0.0.2&port=443&csrf="
                + root[1], "Cookie", root[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, dismissed.status(), dismissed.body());
        assertTrue(discovery.candidates().isEmpty());
        assertEquals(204, web.send("DELETE", "/api/v1/discovery/ranges/1", null, "Authorization", ROOT).status());
        for (String action : List.of("create", "update", "run", "approve", "dismiss", "delete")) {
            assertTrue(web.audit.stream().anyMatch(a -> a.action().equals("web.discovery." + action)
                    && a.outcome().startsWith("ok")), action + " " + web.audit);
        }
    }
}
