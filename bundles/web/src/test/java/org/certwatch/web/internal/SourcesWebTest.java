package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationHistoryEntry;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Uploads, monitored certificates, locations and file sources on the web handler, over the memory doubles. */
class SourcesWebTest {
    private static final String ALICE = TestWeb.basic("alice");
    private static final String BOB = TestWeb.basic("bob");
    private static final String ROOT = TestWeb.basic("root");
    private TestWeb web;
    private MemoryLocationRegistry registry;
    private CertificateInfo berlinMonitored;
    private CertificateInfo hamburgMonitored;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        web.users.put("root", new User("root", "All", EnumSet.of(Permission.ADMINISTRATION,
                Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE), true, TestWeb.START));
        web.users.put("berlin-admin", new User("berlin-admin", "All/Berlin", EnumSet.of(Permission.ADMINISTRATION,
                Permission.CERTIFICATES_READ, Permission.CERTIFICATES_WRITE), true, TestWeb.START));
        berlinMonitored = web.store.add(0, Role.MONITORED, "shop.example", "All/Berlin",
                TestWeb.START.plus(Duration.ofDays(5)));
        hamburgMonitored = web.store.add(0, Role.MONITORED, "mail.example", "All/Hamburg",
                TestWeb.START.plus(Duration.ofDays(50)));
        registry = new MemoryLocationRegistry(web.clock);
        registry.addSource("files");
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

    private TestWeb.Reply upload(String query, String body, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/x-pem-file";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return web.send("POST", "/api/v1/certificates/import" + query, body, all);
    }

    @Test
    void anUploadIsRefusedBeforeTheStoreSeesItWhenItsPasswordIsInTheUrlOrItsGroupOrTypeIsWrong() throws Exception {
        assertProblem(upload("?password=secret", "x", "Authorization", ALICE), 400, "X-Certwatch-Password");
        assertProblem(upload("?group=All/Hamburg", "x", "Authorization", ALICE), 400, "unknown group 'All/Hamburg'");
        assertProblem(upload("", "x", "Authorization", TestWeb.basic("reader")), 403, "write permission");
        assertProblem(upload("?replaces=1", "x", "Authorization", ALICE), 409, "issued by certwatch");
        assertProblem(upload("?replaces=" + hamburgMonitored.id(), "x", "Authorization", ALICE), 404, "not found");
        assertProblem(upload("", "", "Authorization", ALICE), 400, "empty");
        assertProblem(web.send("POST", "/api/v1/certificates/import", "x", "Authorization", ALICE,
                "Content-Type", "application/json"), 415, "application/x-pem-file");
        assertProblem(web.send("POST", "/api/v1/certificates/import", "x", "Authorization", ALICE,
                "Content-Type", "text/plain"), 415, "not accepted");
        // the refusals are audited, once each, and no password is in the audit log
        long audited = web.audit.stream().filter(e -> e.action().equals("web.certificate.import")).count();
        assertEquals(6, audited, web.audit.toString());
        assertFalse(web.audit.toString().contains("secret"), web.audit.toString());
    }

    @Test
    void anUploadWithTheSessionNeedsItsCsrfTokenAndTheFormPostsMultipart() throws Exception {
        String[] session = web.login("alice");
        assertProblem(upload("", "x", "Cookie", session[0]), 403, "CSRF");
        assertProblem(upload("?group=All/Hamburg", "x", "Cookie", session[0], "X-CSRF-Token", session[1]), 400,
                "unknown group");
        String form = web.get("/upload", "Cookie", session[0]).body();
        assertTrue(form.contains("enctype=\"multipart/form-data\"") && form.contains("name=\"csrf\""), form);
        String boundary = "----cw" + System.nanoTime();
        String noCsrf = multipart(boundary, null, "All/Berlin");
        TestWeb.Reply refused = web.send("POST", "/upload", noCsrf, "Cookie", session[0],
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertEquals(403, refused.status(), refused.body());
        // with the token the form reaches the import, which refuses a group outside alice's home group
        TestWeb.Reply outside = web.send("POST", "/upload", multipart(boundary, session[1], "All/Hamburg"),
                "Cookie", session[0], "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertEquals(400, outside.status(), outside.body());
        assertTrue(outside.body().contains("unknown group"), outside.body());
        // another site's page cannot post the form, whatever it carries
        TestWeb.Reply crossSite = web.send("POST", "/upload", multipart(boundary, session[1], "All/Berlin"),
                "Cookie", session[0], "Content-Type", "multipart/form-data; boundary=" + boundary,
                "Origin", "https://evil.example");
        assertEquals(403, crossSite.status(), crossSite.body());
    }

    @Test
    void aMalformedUploadFormIsAClearRefusal() throws Exception {
        String[] session = web.login("alice");
        TestWeb.Reply noBoundary = web.send("POST", "/upload", "x", "Cookie", session[0], "X-CSRF-Token", session[1],
                "Content-Type", "multipart/form-data");
        assertEquals(415, noBoundary.status(), noBoundary.body());
        assertTrue(noBoundary.body().contains("multipart/form-data with a boundary"), noBoundary.body());
        TestWeb.Reply garbage = web.send("POST", "/upload", "--b\r\nno headers, no end", "Cookie", session[0],
                "X-CSRF-Token", session[1], "Content-Type", "multipart/form-data; boundary=b");
        assertEquals(400, garbage.status(), garbage.body());
        assertTrue(garbage.body().contains("multipart body cannot be read"), garbage.body());
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("--b\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        TestWeb.Reply tooMany = web.send("POST", "/upload", many.append("--b--\r\n").toString(), "Cookie", session[0],
                "X-CSRF-Token", session[1], "Content-Type", "multipart/form-data; boundary=b");
        assertEquals(400, tooMany.status(), tooMany.body());
    }

    private static String multipart(String boundary, String csrf, String group) {
        StringBuilder b = new StringBuilder();
        if (csrf != null) {
            b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n")
                    .append(csrf).append("\r\n");
        }
        b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"group\"\r\n\r\n")
                .append(group).append("\r\n");
        b.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pem\"\r\n")
                .append("Content-Type: application/x-pem-file\r\n\r\n-----BEGIN CERTIFICATE-----\r\n");
        return b.append("--").append(boundary).append("--\r\n").toString();
    }

    @Test
    void aMonitoredCertificateCanBeRetiredResumedAndDeletedAnIssuedOneNot() throws Exception {
        long id = berlinMonitored.id();
        assertTrue(web.get("/api/v1/attention", "Authorization", ALICE).body().contains("shop.example"));
        TestWeb.Reply retired = web.send("POST", "/api/v1/certificates/" + id + "/retire", null, "Authorization", ALICE);
        assertEquals(200, retired.status(), retired.body());
        assertTrue(retired.body().contains("\"retiredAt\":\"2026-06-15T12:00:00Z\""), retired.body());
        // retired: it keeps its status but no longer needs attention nor counts as an upcoming expiry
        assertFalse(web.get("/api/v1/attention", "Authorization", ALICE).body().contains("shop.example"));
        assertFalse(web.get("/api/v1/status", "Authorization", ALICE).body().contains("shop.example"));
        String page = web.get("/certificates/" + id, "Cookie", web.login("alice")[0]).body();
        assertTrue(page.contains("Not monitored since") && page.contains("Resume monitoring"), page);
        String list = web.get("/certificates", "Cookie", web.login("alice")[0]).body();
        assertTrue(list.contains("CN=shop.example,OU=MONITORED</a> <span class=\"muted\">not monitored</span>"), list);
        TestWeb.Reply resumed = web.send("POST", "/api/v1/certificates/" + id + "/unretire", null, "Authorization", ALICE);
        assertTrue(resumed.body().contains("\"retiredAt\":null"), resumed.body());
        assertProblem(web.send("POST", "/api/v1/certificates/1/retire", null, "Authorization", ALICE), 409,
                "issued by certwatch");
        assertProblem(web.send("DELETE", "/api/v1/certificates/1", null, "Authorization", ALICE), 409,
                "revoke an issued one");
        assertProblem(web.send("DELETE", "/api/v1/certificates/" + id, null, "Authorization", BOB), 404, "not found");
        assertProblem(web.send("DELETE", "/api/v1/certificates/" + id, null, "Authorization",
                TestWeb.basic("reader")), 403, "write permission");
        assertEquals(204, web.send("DELETE", "/api/v1/certificates/" + id, null, "Authorization", ALICE).status());
        assertProblem(web.get("/api/v1/certificates/" + id, "Authorization", ALICE), 404, "not found");
        // the store audits the deletion; the web writes no second entry
        assertTrue(web.audit.stream().noneMatch(e -> e.action().equals("web.certificate.delete")
                && e.outcome().equals("ok")), web.audit.toString());
    }

    @Test
    void theCertificatePageOffersMonitoringOnlyForMonitoredCertificatesAndSaysWhereTheyAreHeld() throws Exception {
        web.locations = registry;
        registry.put(new Location(0, new LocationRef("files", LocationKind.FILE, "/srv/certs/shop.pem", "All/Berlin"),
                LocationState.OK, berlinMonitored.id(), List.of(), null, "", 0, TestWeb.START, TestWeb.START,
                TestWeb.START));
        String[] session = web.login("alice");
        String monitored = web.get("/certificates/" + berlinMonitored.id(), "Cookie", session[0]).body();
        assertTrue(monitored.contains("Stop monitoring") && monitored.contains("Held at")
                && monitored.contains("/srv/certs/shop.pem"), monitored);
        String issued = web.get("/certificates/1", "Cookie", session[0]).body();
        assertFalse(issued.contains("Stop monitoring") || issued.contains("Held at"), issued);
        TestWeb.Reply stop = web.send("POST", "/certificates/" + berlinMonitored.id() + "/retire", "csrf=" + session[1],
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, stop.status(), stop.body());
        assertTrue(web.store.certificate(berlinMonitored.id()).orElseThrow().retired());
    }

    @Test
    void locationsAreScopedByGroupFilteredAndStoppedAndWithoutTheRegistryTheAnswerSaysSo() throws Exception {
        assertProblem(web.get("/api/v1/locations", "Authorization", ALICE), 503, "location registry is not running");
        assertTrue(web.get("/locations", "Cookie", web.login("alice")[0]).body().contains("not running"));
        web.locations = registry;
        Location berlin = registry.put(new Location(0, new LocationRef("files", LocationKind.FILE,
                "/srv/certs/shop.pem", "All/Berlin"), LocationState.FAILING, berlinMonitored.id(), List.of(2L),
                LocationFailure.WRONG_PASSWORD, "/srv/certs/shop.pem: wrong password", 3, TestWeb.START,
                TestWeb.START, TestWeb.START));
        Location hamburg = registry.put(new Location(0, new LocationRef("files", LocationKind.FILE,
                "/srv/certs/mail.pem", "All/Hamburg"), LocationState.OK, hamburgMonitored.id(), List.of(), null, "", 0,
                TestWeb.START, TestWeb.START, TestWeb.START));
        registry.putHistory(berlin.id(), List.of(new LocationHistoryEntry(berlinMonitored.id(), "fp4",
                TestWeb.START, null)));
        String list = web.get("/api/v1/locations", "Authorization", ALICE).body();
        assertTrue(list.contains("shop.pem") && !list.contains("mail.pem") && list.contains("\"total\":1"), list);
        assertTrue(web.get("/api/v1/locations?state=OK", "Authorization", ALICE).body().contains("\"total\":0"));
        assertProblem(web.get("/api/v1/locations?state=BROKEN", "Authorization", ALICE), 400, "unknown state");
        assertProblem(web.get("/api/v1/locations/" + hamburg.id(), "Authorization", ALICE), 404, "not found");
        String detail = web.get("/api/v1/locations/" + berlin.id(), "Authorization", ALICE).body();
        assertTrue(detail.contains("\"state\":\"FAILING\"") && detail.contains("wrong password")
                && detail.contains("\"history\":[{\"certificateId\":" + berlinMonitored.id())
                && detail.contains("\"chain\":[{\"id\":2,"), detail);
        String page = web.get("/locations/" + berlin.id(), "Cookie", web.login("alice")[0]).body();
        assertTrue(page.contains("WRONG_PASSWORD") && page.contains("History") && page.contains("Stop watching"), page);
        assertProblem(web.send("POST", "/api/v1/locations/" + hamburg.id() + "/stop", null, "Authorization", ALICE),
                404, "not found");
        TestWeb.Reply stopped = web.send("POST", "/api/v1/locations/" + berlin.id() + "/stop", null, "Authorization",
                ALICE);
        assertTrue(stopped.body().contains("\"state\":\"NOT_WATCHED\""), stopped.body());
        TestWeb.Reply resumed = web.send("POST", "/api/v1/locations/" + berlin.id() + "/resume", null,
                "Authorization", ALICE);
        assertEquals(200, resumed.status(), resumed.body());
        assertTrue(web.get("/api/v1/sources", "Authorization", ALICE).body().equals("{\"sources\":[\"files\"],\"files\":false}"));
    }

    @Test
    void watchedFilesAreForServerAdministratorsOnlyAndTheirPasswordIsWriteOnly() throws Exception {
        assertProblem(web.get("/api/v1/sources/files", "Authorization", ROOT), 503, "feature 'files'");
        MemoryFileWatches watches = new MemoryFileWatches(web.clock);
        web.fileWatches = watches;
        String body = "{\"pattern\":\"/srv/certs/**/*.p12\",\"recursive\":true,\"homeGroup\":\"All/Berlin\","
                + "\"password\":\"changeit\",\"description\":\"shop\"}";
        assertProblem(web.send("POST", "/api/v1/sources/files", body, "Authorization", ALICE), 403, "server administrators");
        assertProblem(web.send("POST", "/api/v1/sources/files", body, "Authorization", TestWeb.basic("berlin-admin")),
                403, "server administrators");
        assertProblem(web.get("/api/v1/sources/files", "Authorization", ALICE), 403, "server administrators");
        TestWeb.Reply created = web.send("POST", "/api/v1/sources/files", body, "Authorization", ROOT);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"hasPassword\":true") && !created.body().contains("changeit"), created.body());
        assertEquals("changeit", watches.passwords.get("1"));
        assertNotNull(created.header("location"));
        assertProblem(web.send("POST", "/api/v1/sources/files", "{\"pattern\":\"/etc/shadow\"}", "Authorization", ROOT),
                400, "outside the allowed roots");
        TestWeb.Reply updated = web.send("PUT", "/api/v1/sources/files/1", "{\"description\":\"web shop\"}",
                "Authorization", ROOT);
        assertTrue(updated.body().contains("\"description\":\"web shop\"") && updated.body().contains("\"hasPassword\":true")
                && updated.body().contains("\"recursive\":true"), updated.body());
        assertEquals("changeit", watches.passwords.get("1"), "a PUT without password keeps it");
        assertTrue(web.get("/api/v1/sources/files", "Authorization", ROOT).body().contains("/srv/certs/**/*.p12"));
        String page = web.get("/sources", "Cookie", web.login("root")[0]).body();
        assertTrue(page.contains("/srv/certs/**/*.p12") && page.contains("Allowed roots: /srv/certs"), page);
        assertFalse(web.get("/sources", "Cookie", web.login("alice")[0]).body().contains("/srv/certs/**/*.p12"));
        assertEquals(204, web.send("DELETE", "/api/v1/sources/files/1", null, "Authorization", ROOT).status());
        assertProblem(web.get("/api/v1/sources/files/1", "Authorization", ROOT), 404, "not found");
    }
}
