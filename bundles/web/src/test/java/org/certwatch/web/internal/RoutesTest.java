package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the route tables answer to paths and methods none of their routes takes: the same 404s and 405s as ever. */
class RoutesTest {
    private TestWeb web;
    private final String alice = TestWeb.basic("alice");

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private void assertAnswer(String method, String path, int status, String title) throws Exception {
        TestWeb.Reply r = web.send(method, path, method.equals("GET") ? null : "{}", "Authorization", alice,
                "Content-Type", "application/json");
        assertEquals(status, r.status(), method + " " + path + ": " + r.body());
        assertTrue(r.body().contains(title), method + " " + path + ": " + r.body());
    }

    @Test
    void apiMissesAre404ForGetAnd405ForTheOtherMethods() throws Exception {
        assertAnswer("GET", "/api/v1/nothing", 404, "API resource 'nothing'");
        assertAnswer("POST", "/api/v1/nothing", 404, "API resource 'nothing'");
        assertAnswer("GET", "/api/v1/status/more", 404, "no such API path: /api/v1/status/more");
        assertAnswer("DELETE", "/api/v1/status", 405, "DELETE is not allowed on /api/v1/status");
        assertAnswer("PUT", "/api/v1/certificates/1", 405, "PUT is not allowed on /api/v1/certificates/1");
        assertAnswer("PUT", "/api/v1/notifications/outbox", 405, "PUT is not allowed");
    }

    @Test
    void anIdThatIsNoNumberIsNotFoundWhateverFollowsIt() throws Exception {
        assertAnswer("POST", "/api/v1/certificates/abc", 404, "certificate 'abc'");
        assertAnswer("GET", "/api/v1/cas/abc/more/still", 404, "CA 'abc'");
        assertAnswer("GET", "/api/v1/computers/abc", 404, "computer 'abc'");
    }

    @Test
    void settingsAndRolloverKeepTheirOwnAnswers() throws Exception {
        assertAnswer("POST", "/api/v1/settings/unknown", 404, "settings 'unknown'");
        assertAnswer("POST", "/api/v1/settings", 404, "settings ''");
        // rollover is for administrators of the root group only: to alice it does not exist
        assertAnswer("DELETE", "/api/v1/rollover", 404, "rollover");
    }

    @Test
    void pageMissesAreA404NamingThePage() throws Exception {
        String[] session = web.login("alice");
        TestWeb.Reply r = web.get("/certificates/1/nothing", "Cookie", session[0]);
        assertEquals(404, r.status(), r.body());
        assertTrue(r.body().contains("page /certificates/1/nothing"), r.body());
        assertEquals(404, web.get("/nothing", "Cookie", session[0]).status());
        assertEquals(200, web.get("/certificates/new", "Cookie", session[0]).status());
    }
}
