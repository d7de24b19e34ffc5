package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.EnumSet;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Users over HTTP: administrators manage their scope and grant only what they hold; everyone changes their own password. */
class UsersWebTest {
    private TestWeb web;
    private final String root = TestWeb.basic("root");
    private final String berlinAdmin = TestWeb.basic("berlin-admin");

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        web.users.put("root", new User("root", "All", EnumSet.allOf(Permission.class), true, TestWeb.START));
        web.users.put("berlin-admin", new User("berlin-admin", "All/Berlin",
                EnumSet.of(Permission.ADMINISTRATION, Permission.CERTIFICATES_READ), true, TestWeb.START));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    @Test
    void anAdministratorCreatesAMetricsUserWhoThenReadsTheMetrics() throws Exception {
        TestWeb.Reply created = web.send("POST", "/api/v1/users", "{\"name\":\"metrics\",\"homeGroup\":\"All\","
                + "\"permissions\":[\"CERTIFICATES_READ\"],\"password\":\"metrics-secret-1\"}", "Authorization", root);
        assertEquals(201, created.status(), created.body());
        assertTrue(created.body().contains("\"permissions\":[\"CERTIFICATES_READ\"]"), created.body());
        assertTrue(created.header("location").endsWith("/api/v1/users/metrics"));
        assertEquals(200, web.get("/metrics", "Authorization", basic("metrics", "metrics-secret-1")).status());
        TestWeb.Reply disabled = web.send("PUT", "/api/v1/users/metrics", "{\"enabled\":false}", "Authorization", root);
        assertEquals(200, disabled.status(), disabled.body());
        assertEquals(401, web.get("/metrics", "Authorization", basic("metrics", "metrics-secret-1")).status());
        assertEquals(204, web.send("DELETE", "/api/v1/users/metrics", null, "Authorization", root).status());
        assertEquals(404, web.get("/api/v1/users/metrics", "Authorization", root).status());
    }

    @Test
    void anAdministratorOfAGroupReadsTheAuditEntriesOfTheUsersInTheirScopeOnly() throws Exception {
        web.audit.clear();
        for (String actor : new String[] {"system", "root", "bob", "alice", "reader", "berlin-admin"}) {
            web.audit().append(new AuditEntry(TestWeb.START, actor, "group.create", "group:All/" + actor, "ok", ""));
        }
        String berlin = web.get("/api/v1/audit?limit=100", "Authorization", berlinAdmin).body();
        for (String seen : new String[] {"alice", "reader", "berlin-admin"}) {
            assertTrue(berlin.contains("\"group:All/" + seen + "\""), berlin);
        }
        for (String unseen : new String[] {"system", "root", "bob"}) {
            assertFalse(berlin.contains("group:All/" + unseen + "\""), "names outside the scope: " + berlin);
        }
        assertFalse(web.get("/api/v1/audit?actor=root", "Authorization", berlinAdmin).body().contains("group:All/root"));
        String all = web.get("/api/v1/audit?limit=100", "Authorization", root).body();
        assertTrue(all.contains("group:All/system") && all.contains("group:All/bob"), "an administrator of All sees all: " + all);
        String page = web.get("/audit", "Cookie", web.login("berlin-admin")[0]).body();
        assertTrue(page.contains("group:All/alice") && !page.contains("group:All/bob"), page);
    }

    @Test
    void anAdministratorStaysInsideTheirScopeAndPermissions() throws Exception {
        String list = web.get("/api/v1/users", "Authorization", berlinAdmin).body();
        assertTrue(list.contains("alice") && list.contains("reader") && !list.contains("bob") && !list.contains("root"), list);
        assertEquals(404, web.get("/api/v1/users/bob", "Authorization", berlinAdmin).status());
        assertEquals(404, web.send("DELETE", "/api/v1/users/bob", null, "Authorization", berlinAdmin).status());
        TestWeb.Reply elsewhere = web.send("POST", "/api/v1/users", "{\"name\":\"h2\",\"homeGroup\":\"All/Hamburg\","
                + "\"permissions\":[],\"password\":\"password-123\"}", "Authorization", berlinAdmin);
        assertEquals(400, elsewhere.status(), elsewhere.body());
        TestWeb.Reply more = web.send("POST", "/api/v1/users", "{\"name\":\"b2\",\"homeGroup\":\"All/Berlin\","
                + "\"permissions\":[\"CERTIFICATES_WRITE\"],\"password\":\"password-123\"}", "Authorization", berlinAdmin);
        assertEquals(403, more.status(), more.body());
        assertTrue(more.body().contains("CERTIFICATES_WRITE"), more.body());
        // alice holds permissions berlin-admin lacks: not theirs to manage
        assertEquals(403, web.send("POST", "/api/v1/users/alice/password", "{\"password\":\"taken-over-1\"}",
                "Authorization", berlinAdmin).status());
        assertEquals(204, web.send("POST", "/api/v1/users/reader/password", "{\"password\":\"reader-new-1\"}",
                "Authorization", berlinAdmin).status());
        assertEquals(200, web.get("/api/v1/status", "Authorization", basic("reader", "reader-new-1")).status());
        assertEquals(400, web.send("PUT", "/api/v1/users/berlin-admin", "{\"permissions\":[]}", "Authorization", berlinAdmin).status());
        assertEquals(400, web.send("DELETE", "/api/v1/users/berlin-admin", null, "Authorization", berlinAdmin).status());
        assertEquals(403, web.send("POST", "/api/v1/users", "{\"name\":\"x\",\"password\":\"password-123\"}",
                "Authorization", TestWeb.basic("alice")).status(), "no ADMINISTRATION");
        assertTrue(web.audit.stream().anyMatch(e -> e.action().equals("user.create") && e.outcome().startsWith("refused")),
                web.audit.toString());
    }

    @Test
    void everyoneChangesTheirOwnPasswordGivingTheCurrentOne() throws Exception {
        String alice = TestWeb.basic("alice");
        TestWeb.Reply wrong = web.send("POST", "/api/v1/session/password",
                "{\"currentPassword\":\"guess\",\"newPassword\":\"alice-new-password\"}", "Authorization", alice);
        assertEquals(403, wrong.status(), wrong.body());
        TestWeb.Reply changed = web.send("POST", "/api/v1/session/password",
                "{\"currentPassword\":\"alice-password\",\"newPassword\":\"alice-new-password\"}", "Authorization", alice);
        assertEquals(204, changed.status(), changed.body());
        assertEquals(200, web.get("/api/v1/status", "Authorization", basic("alice", "alice-new-password")).status());
    }

    @Test
    void theUsersPageCreatesAUserWithTheSessionsCsrfToken() throws Exception {
        String[] session = web.login("root");
        String form = "name=ops&homeGroup=All%2FBerlin&perm.CERTIFICATES_READ=on&password=ops-password-1";
        assertEquals(403, web.send("POST", "/users", form, "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded").status());
        TestWeb.Reply created = web.send("POST", "/users", form + "&csrf=" + session[1], "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, created.status(), created.body());
        String page = web.get("/users", "Cookie", session[0]).body();
        assertTrue(page.contains("id=\"user-ops\""), page);
        assertEquals("All/Berlin", web.users.get("ops").homeGroup());
        assertEquals(EnumSet.of(Permission.CERTIFICATES_READ), web.users.get("ops").permissions());
        String[] alice = web.login("alice");
        assertEquals(403, web.get("/users", "Cookie", alice[0]).status());
        assertFalse(web.get("/", "Cookie", alice[0]).body().contains("href=\"/users\""), "no Users link without ADMINISTRATION");
    }
}
