package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebHandlerTest {
    private TestWeb web;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private static void assertProblem(TestWeb.Reply r, int status, String titlePart) {
        assertEquals(status, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"), r.body());
        assertTrue(r.body().contains("\"title\"") && r.body().contains(titlePart), r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), "no stack trace: " + r.body());
    }

    @Test
    void siblingGroupsSeeOnlyTheirOwnObjectsAndTheOthersAre404() throws Exception {
        String alice = TestWeb.basic("alice");
        String bob = TestWeb.basic("bob");
        String list = web.get("/api/v1/certificates", "Authorization", alice).body();
        assertTrue(list.contains("pc-b1") && list.contains("srv-b") && !list.contains("pc-h1"), list);
        assertTrue(list.contains("\"total\":2"), list);
        String bobs = web.get("/api/v1/certificates", "Authorization", bob).body();
        assertTrue(bobs.contains("pc-h1") && !bobs.contains("pc-b1"), bobs);
        // certificate 3 is Hamburg's: it does not exist for alice, on the API and on the pages
        assertProblem(web.get("/api/v1/certificates/3", "Authorization", alice), 404, "certificate 3 not found");
        assertEquals(200, web.get("/api/v1/certificates/3", "Authorization", bob).status());
        assertProblem(web.get("/api/v1/cas/2", "Authorization", alice), 404, "CA 2 not found");
        assertProblem(web.get("/api/v1/computers/2", "Authorization", alice), 404, "computer 2 not found");
        assertProblem(web.get("/api/v1/certificates/3/pem", "Authorization", alice), 404, "not found");
        String computers = web.get("/api/v1/computers", "Authorization", alice).body();
        assertTrue(computers.contains("pc-b1") && !computers.contains("pc-h1"), computers);
        String[] session = web.login("alice");
        assertEquals(404, web.get("/certificates/3", "Cookie", session[0]).status());
        assertEquals(404, web.get("/computers/2", "Cookie", session[0]).status());
        String page = web.get("/certificates", "Cookie", session[0]).body();
        assertTrue(page.contains("pc-b1") && !page.contains("pc-h1"), page);
        String metrics = web.get("/metrics", "Authorization", alice).body();
        assertTrue(metrics.contains("subject_CN=\"pc-b1\"") && !metrics.contains("pc-h1"), metrics);
        String status = web.get("/api/v1/status", "Authorization", alice).body();
        assertTrue(status.contains("\"EXPIRING\":1") && status.contains("\"WARNING\":1"), status);
    }

    @Test
    void metricsAreStreamedGzipCompressedToClientsThatAcceptIt() throws Exception {
        String alice = TestWeb.basic("alice");
        java.net.http.HttpResponse<byte[]> r = web.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(web.base + "/metrics")).header("Authorization", alice)
                .header("Accept-Encoding", "gzip").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("gzip", r.headers().firstValue("Content-Encoding").orElse(null));
        assertTrue(r.headers().firstValue("Content-Length").isEmpty(), "streamed, so chunked: " + r.headers().map());
        String unzipped;
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(r.body()))) {
            unzipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String plain = web.get("/metrics", "Authorization", alice).body();
        // the same scrape but for the request counter, which counts the first
        assertEquals(plain.replaceAll("certwatch_web_requests_total \\d+", ""),
                unzipped.replaceAll("certwatch_web_requests_total \\d+", ""));
        assertTrue(unzipped.contains("x509_cert_not_after{subject_CN=\"pc-b1\""), unzipped);
    }

    @Test
    void writesNeedTheWritePermissionAndTheHomeGroup() throws Exception {
        String reader = TestWeb.basic("reader");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\"}",
                "Authorization", reader), 403, "write permission");
        String alice = TestWeb.basic("alice");
        assertProblem(web.send("POST", "/api/v1/certificates",
                "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"homeGroup\":\"All/Hamburg\"}", "Authorization", alice),
                400, "unknown group 'All/Hamburg'");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":2,\"role\":\"AGENT\",\"host\":\"x\"}",
                "Authorization", alice), 404, "CA 2 not found");
        TestWeb.Reply created = web.send("POST", "/api/v1/certificates",
                "{\"caId\":1,\"role\":\"agent\",\"host\":\"pc-b2\",\"notAfter\":\"2027-01-01T00:00:00Z\"}",
                "Authorization", alice);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"homeGroup\":\"All/Berlin\"") && created.body().contains("2027-01-01T00:00:00Z"));
        assertTrue(web.audit.stream().anyMatch(e -> e.outcome().startsWith("refused") && e.actor().equals("reader")));
        // the store audits the issue; the web writes no second entry for it
        assertTrue(web.audit.stream().noneMatch(e -> e.action().endsWith("certificate.issue") && e.outcome().equals("ok")),
                web.audit.toString());
    }

    @Test
    void aWriteTheStorageCannotTakeIs503WithRetryAfterAndReadsStillAnswer() throws Exception {
        String alice = TestWeb.basic("alice");
        web.store.storageUnavailable("PostgreSQL at db.example:5432 unreachable (Connection refused)");
        TestWeb.Reply refused = web.send("POST", "/api/v1/certificates/1/revoke", "{\"reason\":\"superseded\"}",
                "Authorization", alice);
        assertProblem(refused, 503, "storage unavailable, nothing was changed; try again later: PostgreSQL at"
                + " db.example:5432 unreachable");
        assertTrue(refused.body().contains("\"type\":\"" + Problem.STORAGE_UNAVAILABLE + "\""), refused.body());
        assertEquals(String.valueOf(org.certwatch.commons.unavailable.Unavailable.RETRY_AFTER_SECONDS),
                refused.header("retry-after"));
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\"}",
                "Authorization", alice), 503, "storage unavailable");
        // the page's form gets an error page with the same status; reads answer from what the server holds
        String[] session = web.login("alice");
        TestWeb.Reply page = web.send("POST", "/certificates/1/revoke", "reason=keyCompromise&csrf=" + session[1],
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(503, page.status(), page.body());
        assertTrue(page.body().contains("storage unavailable"), page.body());
        assertNull(web.store.certificate(1).orElseThrow().revokedAt());
        assertEquals(200, web.get("/api/v1/certificates/1", "Authorization", alice).status());
        assertTrue(web.audit.stream().anyMatch(e -> e.outcome().startsWith("failed: storage unavailable")),
                web.audit.toString());
        web.store.storageUnavailable(null);
        assertEquals(200, web.send("POST", "/api/v1/certificates/1/revoke", "{\"reason\":\"superseded\"}",
                "Authorization", alice).status());
    }

    @Test
    void badInputIsA4xxProblemAndChangesNothing() throws Exception {
        String alice = TestWeb.basic("alice");
        int before = web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size();
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,", "Authorization", alice), 400, "malformed JSON");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"colour\":1}",
                "Authorization", alice), 400, "unknown field 'colour'");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":\"one\",\"role\":\"AGENT\",\"host\":\"x\"}",
                "Authorization", alice), 400, "field 'caId'");
        assertProblem(web.send("POST", "/api/v1/certificates", "[1,2]", "Authorization", alice), 400, "JSON object");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"PRINTER\",\"host\":\"x\"}",
                "Authorization", alice), 400, "unknown role 'PRINTER'");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"notAfter\":\"soon\"}",
                "Authorization", alice), 400, "ISO-8601");
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"notAfter\":\"2099-01-01T00:00:00Z\"}",
                "Authorization", alice), 400, "not issued");
        String big = "{\"description\":\"" + "x".repeat(Exchange.MAX_BODY + 10) + "\"}";
        assertProblem(web.send("POST", "/api/v1/cas", big, "Authorization", alice), 413, "1 MiB");
        assertProblem(web.get("/api/v1/certificates/999", "Authorization", alice), 404, "certificate 999 not found");
        assertProblem(web.get("/api/v1/certificates/abc", "Authorization", alice), 404, "not found");
        assertProblem(web.get("/api/v1/certificates?offset=50", "Authorization", alice), 400, "past the end");
        assertProblem(web.get("/api/v1/certificates?limit=0", "Authorization", alice), 400, "limit");
        assertProblem(web.get("/api/v1/certificates?offset=-1", "Authorization", alice), 400, "offset");
        assertProblem(web.get("/api/v1/certificates?status=SHINY", "Authorization", alice), 400, "unknown status");
        assertProblem(web.get("/api/v1/certificates/1/pem?name=../../etc/passwd", "Authorization", alice), 400, "download name");
        assertProblem(web.get("/api/v1/certificates/1/pem?name=..", "Authorization", alice), 400, "download name");
        assertProblem(web.get("/api/v1/nothing", "Authorization", alice), 404, "not found");
        assertProblem(web.send("PATCH", "/api/v1/certificates/1", null, "Authorization", alice), 405, "not allowed");
        assertProblem(web.get("/api/v1/certificates/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "Authorization", alice), 400, "");
        assertProblem(web.get("/api/v1/status", "Authorization", "Basic !!!"), 401, "malformed");
        assertProblem(web.get("/api/v1/status"), 401, "log in");
        assertEquals(before, web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size());
        TestWeb.Reply named = web.get("/api/v1/certificates/1/pem?name=pc-b1.example", "Authorization", alice);
        assertEquals("attachment; filename=\"pc-b1.example.pem\"", named.header("content-disposition"));
    }

    @Test
    void sessionCookieIsLockedDownAndStateChangesNeedTheCsrfToken() throws Exception {
        TestWeb.Reply login = web.send("POST", "/login", "user=alice&password=alice-password&next=/certificates",
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, login.status());
        assertEquals("/certificates", login.header("location"));
        String cookie = login.header("set-cookie");
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), cookie);
        String[] session = web.login("alice");
        // a form post without and with a wrong token is refused, the certificate stays unrevoked
        TestWeb.Reply missing = web.send("POST", "/certificates/1/revoke", "reason=keyCompromise", "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, missing.status());
        assertTrue(missing.body().contains("CSRF"));
        TestWeb.Reply wrong = web.send("POST", "/api/v1/certificates/1/revoke", "{\"reason\":\"superseded\"}",
                "Cookie", session[0], "X-CSRF-Token", "forged");
        assertEquals(403, wrong.status());
        assertNull(web.store.certificate(1).orElseThrow().revokedAt());
        TestWeb.Reply ok = web.send("POST", "/certificates/1/revoke", "reason=keyCompromise&csrf=" + session[1],
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, ok.status(), ok.body());
        assertNotNull(web.store.certificate(1).orElseThrow().revokedAt());
        // Basic auth carries no cookie, so no token is needed
        TestWeb.Reply basic = web.send("POST", "/api/v1/certificates/2/revoke", "{\"reason\":\"superseded\"}",
                "Authorization", TestWeb.basic("alice"));
        assertEquals(200, basic.status(), basic.body());
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("login") && e.outcome().equals("ok")));
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("csrf") && e.outcome().startsWith("refused")));
    }

    @Test
    void basicRequestsAuditOneLoginPerPasswordCheck() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(200, web.get("/api/v1/status", "Authorization", TestWeb.basic("alice")).status());
        }
        assertEquals(List.of("ok: HTTP Basic"), web.audit.stream().filter(e -> e.action().contains("login"))
                .map(e -> e.outcome()).toList(), "one entry, verified credentials skip the check");
    }

    @Test
    void sessionsExpireWhenIdleAndLogoutEndsThem() throws Exception {
        String[] session = web.login("alice");
        assertEquals(200, web.get("/api/v1/session", "Cookie", session[0]).status());
        web.clock.advance(Duration.ofMinutes(31));
        assertProblem(web.get("/api/v1/session", "Cookie", session[0]), 401, "log in");
        TestWeb.Reply page = web.get("/certificates", "Cookie", session[0]);
        assertEquals(303, page.status());
        assertEquals("/login?next=%2Fcertificates", page.header("location"));
        String[] second = web.login("alice");
        assertEquals(403, web.send("POST", "/logout", "", "Cookie", second[0],
                "Content-Type", "application/x-www-form-urlencoded").status());
        assertEquals(303, web.send("POST", "/logout", "csrf=" + second[1], "Cookie", second[0],
                "Content-Type", "application/x-www-form-urlencoded").status());
        assertEquals(303, web.get("/", "Cookie", second[0]).status());
    }

    @Test
    void repeatedFailuresLockTheUserNameUntilTheDelayPasses() throws Exception {
        for (int i = 0; i < 3; i++) {
            TestWeb.Reply r = web.send("POST", "/login", "user=alice&password=guess" + i,
                    "Content-Type", "application/x-www-form-urlencoded");
            assertEquals(401, r.status());
        }
        TestWeb.Reply locked = web.send("POST", "/login", "user=alice&password=alice-password",
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(429, locked.status());
        assertTrue(locked.body().contains("too many failed logins"));
        assertEquals("30", locked.header("retry-after"), "seconds until the lockout ends");
        web.clock.advance(Duration.ofMillis(10_500));
        TestWeb.Reply basic = web.get("/api/v1/status", "Authorization", TestWeb.basic("alice"));
        assertProblem(basic, 429, "too many");
        assertEquals("20", basic.header("retry-after"), "rounded up");
        web.clock.advance(Duration.ofMillis(19_400));
        assertEquals("1", web.get("/api/v1/status", "Authorization", TestWeb.basic("alice")).header("retry-after"));
        web.clock.advance(Duration.ofMillis(100));
        assertEquals(303, web.send("POST", "/login", "user=alice&password=alice-password",
                "Content-Type", "application/x-www-form-urlencoded").status());
        assertEquals(3, web.audit.stream().filter(e -> e.outcome().startsWith("failed")).count());
        assertTrue(web.audit.stream().anyMatch(e -> e.outcome().startsWith("refused: locked")));
    }

    @Test
    void pagesRenderForAPhoneWithoutScripts() throws Exception {
        String[] session = web.login("alice");
        for (String path : List.of("/", "/status", "/certificates", "/certificates?status=EXPIRING&role=AGENT",
                "/certificates/1", "/cas", "/cas/1", "/computers", "/computers/1", "/audit", "/certificates/new", "/cas/new")) {
            TestWeb.Reply r = web.get(path, "Cookie", session[0]);
            assertEquals(200, r.status(), path + ": " + r.body());
            assertTrue(r.body().contains("name=\"viewport\"") && !r.body().contains("<script"), path);
        }
        String dashboard = web.get("/", "Cookie", session[0]).body();
        assertTrue(dashboard.contains("<svg") && dashboard.contains("pc-b1"), dashboard);
        String status = web.get("/status", "Cookie", session[0]).body();
        assertTrue(status.indexOf("computer pc-b1: certificate expires soon") > 0, status);
        assertTrue(web.get("/computers", "Cookie", session[0]).body().contains("certificate expires soon"));
        web.clock.advance(Duration.ofDays(11));
        String[] later = web.login("alice"); // the first session has long expired
        assertTrue(web.get("/computers/1", "Cookie", later[0]).body().contains("certificate expired"));
        assertEquals("text/css; charset=utf-8", web.get("/static/style.css").header("content-type"));
    }

    @Test
    void everyApiListAnswersJson() throws Exception {
        String alice = TestWeb.basic("alice");
        for (String path : List.of("/api/v1/session", "/api/v1/status", "/api/v1/attention", "/api/v1/certificates",
                "/api/v1/certificates/1", "/api/v1/cas", "/api/v1/cas/1", "/api/v1/computers", "/api/v1/computers/1",
                "/api/v1/groups", "/api/v1/users", "/api/v1/audit")) {
            TestWeb.Reply r = web.get(path, "Authorization", alice);
            assertEquals(200, r.status(), path + ": " + r.body());
            assertEquals("application/json", r.header("content-type"), path);
        }
        String attention = web.get("/api/v1/attention", "Authorization", alice).body();
        assertTrue(attention.contains("\"at\":\"2026-06-25T12:00:00Z\""), attention);
        String groups = web.get("/api/v1/groups", "Authorization", alice).body();
        assertTrue(groups.contains("All/Berlin") && !groups.contains("All/Hamburg"), groups);
        String users = web.get("/api/v1/users", "Authorization", alice).body();
        assertTrue(users.contains("alice") && !users.contains("bob"), users);
        // without the monitor, mail and snmp bundles their parts answer 503 and name the missing bundle
        assertProblem(web.get("/api/v1/notifications", "Authorization", alice), 503, "monitor bundle is not running");
        // server settings are for administrators of the root group only
        assertProblem(web.get("/api/v1/settings/snmp", "Authorization", alice), 403, "home group All");
    }

    @Test
    void listsAreRecomputedAfterAChangeOrASecond() throws Exception {
        String alice = TestWeb.basic("alice");
        assertTrue(web.get("/api/v1/certificates", "Authorization", alice).body().contains("\"total\":2"));
        // a change behind the web's back (another bundle; its event is what invalidates in the server)
        web.store.add(1, org.certwatch.api.Role.MDM, "mdm-b", "All/Berlin", TestWeb.START.plus(Duration.ofDays(50)));
        assertTrue(web.get("/api/v1/certificates", "Authorization", alice).body().contains("\"total\":2"), "cached");
        web.clock.advance(ViewCache.MAX_AGE);
        assertTrue(web.get("/api/v1/certificates", "Authorization", alice).body().contains("\"total\":3"), "recomputed");
        // a change made through the web shows at once
        assertEquals(201, web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"pc-b9\"}",
                "Authorization", alice).status());
        assertTrue(web.get("/api/v1/certificates", "Authorization", alice).body().contains("\"total\":4"));
    }

    @Test
    void largeAnswersAreGzippedWhenTheClientAcceptsIt() throws Exception {
        for (int i = 0; i < 60; i++) {
            web.store.add(1, org.certwatch.api.Role.AGENT, "pc-bulk-" + i, "All/Berlin", TestWeb.START.plus(Duration.ofDays(i)));
        }
        web.clock.advance(ViewCache.MAX_AGE);
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.base + "/api/v1/certificates?limit=100"))
                .header("Authorization", TestWeb.basic("alice")).header("Accept-Encoding", "gzip").build();
        var reply = web.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", reply.headers().firstValue("content-encoding").orElse(""));
        String json = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(reply.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("pc-bulk-59") && json.contains("\"total\":62"), json);
        assertTrue(web.get("/api/v1/certificates?limit=100", "Authorization", TestWeb.basic("alice")).body().contains("pc-bulk-59"),
                "plain without Accept-Encoding");
    }

    @Test
    void cachedDashboardsAreEachSessionsOwnAndFollowChanges() throws Exception {
        String[] alice = web.login("alice");
        String[] aliceAgain = web.login("alice");
        String[] bob = web.login("bob");
        var gzip = java.net.http.HttpRequest.newBuilder(java.net.URI.create(web.base + "/")).header("Cookie", alice[0])
                .header("Accept-Encoding", "gzip").build();
        var reply = web.http.send(gzip, java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", reply.headers().firstValue("content-encoding").orElse(""));
        String page = new String(new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(reply.body())).readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(web.get("/", "Cookie", alice[0]).body(), page, "the same page, compressed or not");
        // each session's page carries its own CSRF token, each user's page their own group's counts
        assertTrue(page.contains(alice[1]) && !page.contains(aliceAgain[1]), page);
        assertTrue(web.get("/", "Cookie", aliceAgain[0]).body().contains(aliceAgain[1]));
        String bobs = web.get("/", "Cookie", bob[0]).body();
        assertTrue(bobs.contains(bob[1]) && bobs.contains("bob") && !bobs.contains("pc-b1"), bobs);
        assertTrue(page.contains("pc-b1") && !page.contains("pc-h1"), page);
        // a change made here is on the next page at once
        assertEquals(201, web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"pc-b0\"}",
                "Authorization", TestWeb.basic("alice")).status());
        assertTrue(web.get("/", "Cookie", alice[0]).body().contains("pc-b0"));
    }

    @Test
    void basicCredentialsAreVerifiedOnceAWhileButTheUsersStateOnEveryRequest() throws Exception {
        String alice = TestWeb.basic("alice");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, web.get("/api/v1/certificates", "Authorization", alice).status());
        }
        assertEquals(1, web.passwordChecks.get(), "one slow check for five requests");
        // wrong passwords are never remembered, and a failure makes the next right one verify again
        String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:guess".getBytes());
        assertEquals(401, web.get("/api/v1/certificates", "Authorization", wrong).status());
        assertEquals(401, web.get("/api/v1/certificates", "Authorization", wrong).status());
        assertEquals(3, web.passwordChecks.get());
        assertEquals(200, web.get("/api/v1/certificates", "Authorization", alice).status());
        assertEquals(4, web.passwordChecks.get());
        assertEquals(200, web.get("/api/v1/certificates", "Authorization", alice).status());
        assertEquals(4, web.passwordChecks.get());
        // after the time to live the password is checked again
        web.clock.advance(TestWeb.BASIC_CACHE);
        assertEquals(200, web.get("/api/v1/certificates", "Authorization", alice).status());
        assertEquals(5, web.passwordChecks.get());
        // permissions taken away or the user disabled: effective on the very next request
        web.users.put("alice", new org.certwatch.api.fleet.User("alice", "All/Berlin",
                java.util.EnumSet.of(org.certwatch.api.fleet.Permission.COMPUTERS_READ), true, TestWeb.START));
        assertTrue(web.get("/api/v1/certificates", "Authorization", alice).body().contains("\"total\":0"));
        web.users.put("alice", new org.certwatch.api.fleet.User("alice", "All/Berlin",
                java.util.EnumSet.of(org.certwatch.api.fleet.Permission.CERTIFICATES_READ), false, TestWeb.START));
        assertEquals(401, web.get("/api/v1/certificates", "Authorization", alice).status());
    }

    @Test
    void stateChangesFromAnotherSiteAreRefusedWhateverTheCredentials() throws Exception {
        String alice = TestWeb.basic("alice");
        String issue = "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"pc-x\"}";
        int before = web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size();
        // what a page elsewhere makes a browser send, with the Basic credentials it remembers
        assertProblem(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Origin", "https://evil.example"),
                403, "cross-site request (Origin https://evil.example)");
        assertProblem(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Sec-Fetch-Site", "cross-site"),
                403, "Sec-Fetch-Site");
        assertProblem(web.send("POST", "/api/v1/certificates", issue, "Origin", "null"), 403, "cross-site");
        assertProblem(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Origin", web.base + ".evil.example"),
                403, "cross-site");
        assertProblem(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Origin",
                web.base.replace("http:", "https:")), 403, "cross-site");
        assertEquals(0, web.passwordChecks.get(), "refused before any password is checked");
        assertEquals(before, web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size());
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("csrf") && e.actor().equals("alice")
                && e.outcome().equals("refused: cross-site request (Origin https://evil.example)")
                && e.target().equals("/api/v1/certificates") && e.from().equals("127.0.0.1")), web.audit.toString());
        // the pages' own forms: refused from elsewhere even with the session's token; from here they work
        String[] session = web.login("alice");
        TestWeb.Reply page = web.send("POST", "/certificates/1/revoke", "reason=keyCompromise&csrf=" + session[1],
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded", "Origin", "https://evil.example");
        assertEquals(403, page.status());
        assertTrue(page.body().contains("cross-site request"), page.body());
        assertNull(web.store.certificate(1).orElseThrow().revokedAt());
        assertEquals(403, web.send("POST", "/login", "user=alice&password=alice-password", "Content-Type",
                "application/x-www-form-urlencoded", "Origin", "https://evil.example").status());
        assertEquals(303, web.send("POST", "/certificates/1/revoke", "reason=keyCompromise&csrf=" + session[1],
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded", "Origin", web.base,
                "Sec-Fetch-Site", "same-origin").status());
        // the server's own origin, a request typed into the address bar, scripts without either header; reading is never refused
        assertEquals(201, web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Origin", web.base).status());
        assertEquals(201, web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Sec-Fetch-Site", "none").status());
        assertEquals(201, web.send("POST", "/api/v1/certificates", issue, "Authorization", alice).status());
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice, "Origin", "https://evil.example",
                "Sec-Fetch-Site", "cross-site").status());
    }

    @Test
    void anOriginInTheConfigurationMayChangeState() throws Exception {
        try (TestWeb proxied = new TestWeb(false, "https://certwatch.example.org, https://[2001:db8::1]:8443, not an origin")) {
            proxied.seed();
            String alice = TestWeb.basic("alice");
            String issue = "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"pc-x\"}";
            for (String origin : List.of("https://certwatch.example.org", "https://CERTWATCH.example.org:443",
                    "https://[2001:DB8::1]:8443", proxied.base)) {
                assertEquals(201, proxied.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Origin", origin)
                        .status(), origin);
            }
            for (String origin : List.of("http://certwatch.example.org", "https://certwatch.example.org:8443",
                    "https://evil.certwatch.example.org", "https://[2001:db8::1]")) {
                assertProblem(proxied.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Origin", origin), 403,
                        "cross-site");
            }
        }
    }

    @Test
    void apiBodiesAreJsonNeverWhatABrowserSendsCrossSite() throws Exception {
        String alice = TestWeb.basic("alice");
        String issue = "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"pc-x\"}";
        int before = web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size();
        for (String type : List.of("text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
                "multipart/form-data; boundary=x", "application/xml")) {
            assertProblem(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Content-Type", type), 415,
                    "application/json");
        }
        // on an endpoint whatever it reads, and a file type where JSON is expected
        assertProblem(web.send("POST", "/api/v1/certificates/1/revoke", "reason=keyCompromise", "Authorization", alice,
                "Content-Type", "application/x-www-form-urlencoded"), 415, "Content-Type");
        assertProblem(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Content-Type",
                "application/x-pem-file"), 415, "application/json");
        // a body without a type (a script that forgot the header, or a browser's Blob)
        java.net.http.HttpResponse<String> untyped = web.http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(web.base + "/api/v1/certificates")).header("Authorization", alice)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(issue)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(415, untyped.statusCode(), untyped.body());
        assertTrue(untyped.body().contains("without Content-Type"), untyped.body());
        assertEquals(before, web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size());
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("content-type") && e.actor().equals("alice")
                && e.outcome().startsWith("refused: Content-Type 'text/plain'")), web.audit.toString());
        assertEquals(201, web.send("POST", "/api/v1/certificates", issue, "Authorization", alice, "Content-Type",
                "Application/JSON; charset=utf-8").status());
        // a POST without a body needs no type
        assertProblem(web.send("POST", "/api/v1/certificates/1/revoke", null, "Authorization", alice), 400, "empty body");
    }

    @Test
    void a401NeverAsksABrowserForBasicCredentials() throws Exception {
        for (String path : List.of("/api/v1/status", "/metrics")) {
            TestWeb.Reply r = web.get(path);
            assertProblem(r, 401, "log in");
            String challenge = r.header("www-authenticate");
            assertNotNull(challenge, "a 401 names a scheme");
            assertFalse(challenge.regionMatches(true, 0, "Basic ", 0, 6) || challenge.equalsIgnoreCase("basic"),
                    "no Basic challenge, so no password dialog and nothing the browser remembers: " + challenge);
        }
    }

    @Test
    void duplicateJsonKeysAreRefusedNamingTheKey() throws Exception {
        assertProblem(web.send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"a\",\"host\":\"b\"}",
                "Authorization", TestWeb.basic("alice")), 400, "'host'");
    }

    @Test
    void aFailedFormLoginDropsTheNamesVerifiedBasicCredentials() throws Exception {
        String alice = TestWeb.basic("alice");
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice).status());
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice).status());
        assertEquals(1, web.passwordChecks.get(), "the second answered from the verified credentials");
        assertEquals(401, web.send("POST", "/login", "user=alice&password=guess", "Content-Type",
                "application/x-www-form-urlencoded").status());
        assertEquals(2, web.passwordChecks.get());
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice).status());
        assertEquals(3, web.passwordChecks.get(), "verified again after the failed login");
    }

    @Test
    void aBasicRequestAnsweredFromTheVerifiedCredentialsResetsTheFailureCount() throws Exception {
        String alice = TestWeb.basic("alice");
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice).status());
        // failures counted while the verified pair stays (two requests in flight at once)
        web.sessions.failed("alice");
        web.sessions.failed("alice");
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice).status());
        assertEquals(1, web.passwordChecks.get(), "answered from the verified credentials");
        // the third failure in a row would lock alice out (lockout after 3): the count started again
        assertEquals(401, web.send("POST", "/login", "user=alice&password=guess", "Content-Type",
                "application/x-www-form-urlencoded").status());
        assertEquals(200, web.get("/api/v1/status", "Authorization", alice).status());
    }

    @Test
    void crlsNeedNoLogin() throws Exception {
        TestWeb.Reply crl = web.get("/crl/1.crl");
        assertEquals(200, crl.status());
        assertEquals("application/pkix-crl", crl.header("content-type"));
        assertEquals(404, web.get("/crl/99.crl").status());
        int traversal = web.get("/crl/..%2f1.crl").status();
        assertTrue(traversal == 400 || traversal == 404, "refused: " + traversal);
    }

    /** A PKCS#12 carries a key: refused for a certificate whose key certwatch does not hold. */
    @Test
    void aCertificateWithoutKeyIsNotExportedAsPkcs12() throws Exception {
        CertificateInfo issued = web.store.add(1, Role.AGENT, "pc-keyless", "All/Berlin", TestWeb.START.plus(Duration.ofDays(90)));
        CertificateInfo c = issued;
        web.store.put(new CertificateInfo(c.id(), Role.MONITORED, c.host(), c.alternativeNames(), c.subjectAltNames(), 0,
                "CN=elsewhere", c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(),
                c.keySize(), false, c.homeGroup(), c.description(), c.createdAt(), null, null, 0, 0, null));
        TestWeb.Reply refused = web.send("POST", "/api/v1/certificates/" + c.id() + "/pkcs12", "{\"password\":\"abcdefgh1\"}",
                "Authorization", TestWeb.basic("alice"));
        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.body().contains("has no private key certwatch holds"), refused.body());
        assertEquals(200, web.send("POST", "/api/v1/certificates/1/pkcs12", "{\"password\":\"abcdefgh1\"}",
                "Authorization", TestWeb.basic("alice")).status(), "one with its key still is");
    }
}
