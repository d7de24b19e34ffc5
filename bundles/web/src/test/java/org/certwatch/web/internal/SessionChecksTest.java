package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.audit.AuditEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's changed state reaches their open sessions and tokens at the next request: disabled or deleted
 * users are logged out and their tokens refused, a password set ends the sessions opened before it (the
 * user's own change keeps the session it was made in), narrowed rights apply at once. Each forced logout
 * is audited once.
 */
class SessionChecksTest {
    private TestWeb web;
    private final String root = TestWeb.basic("root");

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

    private String token(String user) throws Exception {
        TestWeb.Reply r = web.send("POST", "/api/v1/tokens", "{\"name\":\"script\"}", "Authorization", TestWeb.basic(user));
        assertEquals(201, r.status(), r.body());
        Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return "Bearer " + m.group(1);
    }

    private int session(String[] session) throws Exception {
        return web.get("/api/v1/session", "Cookie", session[0]).status();
    }

    private List<AuditEntry> forcedLogouts(String user) {
        return web.audit.stream().filter(e -> e.action().equals("logout") && e.actor().equals(user)
                && e.outcome().startsWith("forced:")).toList();
    }

    @Test
    void aDisabledUsersSessionsEndAndTheirTokensStop() throws Exception {
        String[] first = web.login("alice");
        String[] second = web.login("alice");
        String bearer = token("alice");
        assertEquals(200, session(first));
        assertEquals(200, web.get("/api/v1/status", "Authorization", bearer).status());
        assertEquals(200, web.send("PUT", "/api/v1/users/alice", "{\"enabled\":false}", "Authorization", root).status());
        assertEquals(401, session(first));
        TestWeb.Reply page = web.get("/certificates", "Cookie", second[0]);
        assertEquals(303, page.status(), "a page sends the ended session to the login form");
        assertTrue(page.header("location").startsWith("/login"), page.header("location"));
        assertEquals(401, web.get("/api/v1/status", "Authorization", bearer).status());
        assertEquals(401, session(first), "still ended");
        List<AuditEntry> forced = forcedLogouts("alice");
        assertEquals(2, forced.size(), "one entry per session ended, however often it comes back: " + forced);
        assertTrue(forced.get(0).outcome().contains("disabled"), forced.toString());
        // enabled again: the ended sessions stay ended, a new login works
        web.send("PUT", "/api/v1/users/alice", "{\"enabled\":true}", "Authorization", root);
        assertEquals(401, session(first));
        assertEquals(200, session(web.login("alice")));
    }

    @Test
    void aDeletedUsersSessionsEndAndTheirTokensStop() throws Exception {
        String[] alice = web.login("alice");
        String bearer = token("alice");
        assertEquals(204, web.send("DELETE", "/api/v1/users/alice", null, "Authorization", root).status());
        assertEquals(401, session(alice));
        assertEquals(401, web.get("/api/v1/status", "Authorization", bearer).status());
        assertEquals(1, forcedLogouts("alice").size());
        assertTrue(forcedLogouts("alice").get(0).outcome().contains("deleted"));
    }

    @Test
    void aChangeMadeElsewhereReachesTheNextRequestAuditedOnce() throws Exception {
        // as the console or another server sharing the storage changes the directory, not this web
        String[] alice = web.login("alice");
        web.users.remove("alice");
        assertEquals(401, session(alice));
        assertEquals(401, session(alice));
        assertEquals(1, forcedLogouts("alice").size());
    }

    @Test
    void aPasswordResetByAnAdministratorEndsTheUsersSessionsNotTheirTokens() throws Exception {
        String[] first = web.login("alice");
        String[] second = web.login("alice");
        String bearer = token("alice");
        assertEquals(200, web.get("/api/v1/status", "Authorization", TestWeb.basic("alice")).status());
        assertEquals(204, web.send("POST", "/api/v1/users/alice/password", "{\"password\":\"alice-reset-1\"}",
                "Authorization", root).status());
        assertEquals(401, session(first));
        assertEquals(401, session(second));
        assertEquals(401, web.get("/api/v1/status", "Authorization", TestWeb.basic("alice")).status(),
                "the old password verified a moment ago no longer works");
        assertEquals(200, web.get("/api/v1/status", "Authorization", bearer).status(), "a token is no password");
        assertEquals(2, forcedLogouts("alice").size());
        assertTrue(forcedLogouts("alice").get(0).outcome().contains("password"));
        assertEquals(0, forcedLogouts("root").size());
    }

    @Test
    void theirOwnPasswordChangeKeepsTheSessionItWasMadeInAndEndsTheOthers() throws Exception {
        String[] here = web.login("alice");
        String[] elsewhere = web.login("alice");
        TestWeb.Reply changed = web.send("POST", "/api/v1/session/password",
                "{\"currentPassword\":\"alice-password\",\"newPassword\":\"alice-new-password\"}",
                "Cookie", here[0], "X-CSRF-Token", here[1]);
        assertEquals(204, changed.status(), changed.body());
        assertEquals(200, session(here));
        assertEquals(401, session(elsewhere));
        assertEquals(1, forcedLogouts("alice").size());
        // and on the page
        String[] third = web.login("alice", "alice-new-password");
        TestWeb.Reply page = web.send("POST", "/account/password", "currentPassword=alice-new-password"
                + "&newPassword=alice-third-password&repeatPassword=alice-third-password&csrf=" + third[1],
                "Cookie", third[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(200, page.status(), page.body());
        assertEquals(200, session(third));
        assertEquals(401, session(here));
        // a refused change ends nothing
        TestWeb.Reply refused = web.send("POST", "/api/v1/session/password",
                "{\"currentPassword\":\"alice-third-password\",\"newPassword\":\"short\"}",
                "Cookie", third[0], "X-CSRF-Token", third[1]);
        assertEquals(400, refused.status(), refused.body());
        assertEquals(200, session(third));
        assertEquals(2, forcedLogouts("alice").size());
    }

    @Test
    void narrowedPermissionsAndHomeGroupApplyToTheNextRequest() throws Exception {
        String[] alice = web.login("alice");
        String bearer = token("alice");
        String before = web.get("/api/v1/certificates", "Cookie", alice[0]).body();
        assertTrue(before.contains("pc-b1") && !before.contains("pc-h1"), before);
        assertEquals(200, web.send("PUT", "/api/v1/users/alice", "{\"homeGroup\":\"All/Hamburg\"}",
                "Authorization", root).status());
        for (String[] auth : List.of(new String[] {"Cookie", alice[0]}, new String[] {"Authorization", bearer})) {
            String moved = web.get("/api/v1/certificates", auth).body();
            assertTrue(moved.contains("pc-h1") && !moved.contains("pc-b1"), auth[0] + ": " + moved);
        }
        assertTrue(web.get("/api/v1/session", "Cookie", alice[0]).body().contains("\"homeGroup\":\"All/Hamburg\""));
        assertEquals(200, web.send("PUT", "/api/v1/users/alice", "{\"permissions\":[\"COMPUTERS_READ\"]}",
                "Authorization", root).status());
        for (String[] auth : List.of(new String[] {"Cookie", alice[0]}, new String[] {"Authorization", bearer})) {
            String unread = web.get("/api/v1/certificates", auth).body();
            assertFalse(unread.contains("pc-h1"), "no CERTIFICATES_READ left: " + unread);
        }
        assertFalse(web.get("/api/v1/session", "Cookie", alice[0]).body().contains("CERTIFICATES_READ"));
        assertEquals(0, forcedLogouts("alice").size(), "narrowed, not logged out");
    }
}
