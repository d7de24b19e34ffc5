package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API tokens over HTTP: Bearer on the API and metrics, shown once, scoped, revocable, under the lockout. */
class ApiTokensWebTest {
    private TestWeb web;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        web.addRoot();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private String create(String user, String name) throws Exception {
        TestWeb.Reply r = web.send("POST", "/api/v1/tokens", "{\"name\":\"" + name + "\",\"expiresAt\":\"2027-06-15T12:00:00Z\"}",
                "Authorization", TestWeb.basic(user));
        assertEquals(201, r.status(), r.body());
        assertEquals("no-store", r.header("cache-control"));
        assertTrue(r.header("location").endsWith("/api/v1/tokens/" + field(r.body(), "id")), r.headers().toString());
        return r.body();
    }

    @Test
    void aBearerTokenReadsTheApiAndTheMetricsAsItsUser() throws Exception {
        String created = create("alice", "prometheus");
        String token = field(created, "token");
        String id = field(created, "id");
        assertTrue(token.startsWith("cwapi_"), created);
        assertEquals("2027-06-15T12:00:00Z", field(created, "expiresAt"));
        String bearer = "Bearer " + token;
        String list = web.get("/api/v1/certificates", "Authorization", bearer).body();
        assertTrue(list.contains("pc-b1") && !list.contains("pc-h1"), "alice's scope: " + list);
        TestWeb.Reply metrics = web.get("/metrics", "Authorization", bearer);
        assertEquals(200, metrics.status());
        assertTrue(metrics.body().contains("subject_CN=\"pc-b1\""), metrics.body());
        // shown once: reading it later gives everything but the text, and when it was used
        String read = web.get("/api/v1/tokens/" + id, "Authorization", bearer).body();
        assertFalse(read.contains("\"token\""), read);
        assertEquals(TestWeb.START.toString(), field(read, "lastUsedAt"));
        String never = create("alice", "unused");
        assertFalse(web.get("/api/v1/tokens/" + field(never, "id"), "Authorization", bearer).body().contains("lastUsedAt"),
                "a token never used has no last use");
        TestWeb.Reply wrong = web.get("/api/v1/certificates", "Authorization", "Bearer cwapi_000000000000_nothing");
        assertEquals(401, wrong.status());
        assertTrue(wrong.body().contains("unknown, expired or revoked API token"), wrong.body());
        assertEquals(401, web.get("/metrics", "Authorization", "Bearer nonsense").status());
    }

    @Test
    void tokensAreOwnOrAdministeredAndRevocable() throws Exception {
        String alices = field(create("alice", "alice-script"), "id");
        String bobs = create("bob", "bob-script");
        String alice = TestWeb.basic("alice");
        String aliceList = web.get("/api/v1/tokens", "Authorization", alice).body();
        assertTrue(aliceList.contains("alice-script") && !aliceList.contains("bob-script"), aliceList);
        assertEquals(404, web.get("/api/v1/tokens/" + field(bobs, "id"), "Authorization", alice).status());
        assertEquals(404, web.send("DELETE", "/api/v1/tokens/" + field(bobs, "id"), null, "Authorization", alice).status());
        String rootList = web.get("/api/v1/tokens", "Authorization", TestWeb.basic("root")).body();
        assertTrue(rootList.contains("alice-script") && rootList.contains("bob-script"), rootList);
        assertEquals(204, web.send("DELETE", "/api/v1/tokens/" + field(bobs, "id"), null, "Authorization",
                TestWeb.basic("root")).status());
        assertEquals(401, web.get("/api/v1/status", "Authorization", "Bearer " + field(bobs, "token")).status());
        assertEquals(204, web.send("DELETE", "/api/v1/tokens/" + alices, null, "Authorization", alice).status());
        assertEquals(404, web.get("/api/v1/tokens/" + alices, "Authorization", alice).status());
        TestWeb.Reply bad = web.send("POST", "/api/v1/tokens", "{\"name\":\"x\",\"expiresAt\":\"soon\"}", "Authorization", alice);
        assertEquals(400, bad.status());
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("api-token.create") && e.outcome().startsWith("refused")),
                web.audit.toString());
        assertEquals(400, web.send("POST", "/api/v1/tokens", "{\"expiresAt\":\"2027-01-01T00:00:00Z\"}",
                "Authorization", alice).status());
    }

    @Test
    void aTokenCountsAsAVerifiedRequestForTheLockout() throws Exception {
        String bearer = "Bearer " + field(create("alice", "script"), "token");
        String wrong = "Basic " + java.util.Base64.getEncoder().encodeToString("alice:wrong".getBytes());
        for (int i = 0; i < 2; i++) {
            assertEquals(401, web.get("/api/v1/status", "Authorization", wrong).status());
        }
        // a verified request clears the failures counted so far
        assertEquals(200, web.get("/api/v1/status", "Authorization", bearer).status());
        for (int i = 0; i < 2; i++) {
            assertEquals(401, web.get("/api/v1/status", "Authorization", wrong).status());
        }
        assertEquals(200, web.get("/api/v1/status", "Authorization", bearer).status(), "2 failures only since the token's request");
        for (int i = 0; i < 3; i++) {
            web.get("/api/v1/status", "Authorization", wrong);
        }
        TestWeb.Reply locked = web.get("/api/v1/status", "Authorization", bearer);
        assertEquals(429, locked.status(), locked.body());
        assertTrue(locked.header("retry-after") != null);
    }

    @Test
    void thePageMakesATokenShowsItOnceAndRevokesIt() throws Exception {
        String[] session = web.login("alice");
        TestWeb.Reply noCsrf = web.send("POST", "/tokens", "name=ci&days=30", "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(403, noCsrf.status());
        TestWeb.Reply made = web.send("POST", "/tokens", "name=ci&days=30&csrf=" + session[1], "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, made.status(), made.body());
        Matcher m = Pattern.compile("<pre class=\"token\">(cwapi_[^<]+)</pre>").matcher(made.body());
        assertTrue(m.find(), made.body());
        assertEquals(200, web.get("/api/v1/status", "Authorization", "Bearer " + m.group(1)).status());
        String page = web.get("/tokens", "Cookie", session[0]).body();
        assertTrue(page.contains("ci") && !page.contains(m.group(1)), "listed, its text not shown again");
        Matcher revoke = Pattern.compile("action=\"/tokens/([0-9a-f]+)/revoke\"").matcher(page);
        assertTrue(revoke.find(), page);
        TestWeb.Reply revoked = web.send("POST", "/tokens/" + revoke.group(1) + "/revoke", "csrf=" + session[1],
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, revoked.status(), revoked.body());
        assertEquals(401, web.get("/api/v1/status", "Authorization", "Bearer " + m.group(1)).status());
    }
}
