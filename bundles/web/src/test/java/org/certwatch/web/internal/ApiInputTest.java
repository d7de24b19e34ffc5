package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.api.audit.AuditEntry;
import org.certwatch.api.store.CertificateQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the API does with request bodies it cannot take: wrong JSON types, groups the caller may not
 * name; and that each refused change is audited once, with the remote address.
 */
class ApiInputTest {
    private static final String JSON = "application/json";
    private TestWeb web;
    private MemoryNotifications notifications;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        notifications = new MemoryNotifications();
        web.notifications = notifications;
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private TestWeb.Reply send(String method, String path, String body, String user) throws Exception {
        return web.send(method, path, body, "Authorization", TestWeb.basic(user), "Content-Type", JSON);
    }

    private static String title(TestWeb.Reply r) {
        assertEquals("application/problem+json", r.header("content-type"), r.body());
        Matcher m = Pattern.compile("\"title\":\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(r.body());
        assertTrue(m.find(), r.body());
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
    }

    private static void refused(TestWeb.Reply r, int status, String title) {
        assertEquals(status, r.status(), r.body());
        assertEquals(title, title(r));
    }

    private int certificates() {
        return web.store.certificates(CertificateQuery.all()).size();
    }

    @Test
    void wrongJsonTypesAreRefusedNamingTheFieldAndNothingIsCoerced() throws Exception {
        int before = certificates();
        int cas = web.store.cas().size();
        String issue = "/api/v1/certificates";
        refused(send("POST", issue, "{\"caId\":1.5,\"role\":\"AGENT\",\"host\":\"x\"}", "alice"), 400,
                "field 'caId' must be a whole number, not a decimal number");
        refused(send("POST", issue, "{\"caId\":\"1\",\"role\":\"AGENT\",\"host\":\"x\"}", "alice"), 400,
                "field 'caId' must be a whole number, not a string");
        refused(send("POST", issue, "{\"caId\":null,\"role\":\"AGENT\",\"host\":\"x\"}", "alice"), 400,
                "field 'caId' is required: the id of the issuing CA");
        refused(send("POST", issue, "{\"caId\":1,\"role\":\"AGENT\",\"host\":7}", "alice"), 400,
                "field 'host' must be a string, not a whole number");
        refused(send("POST", issue, "{\"caId\":1,\"role\":true,\"host\":\"x\"}", "alice"), 400,
                "field 'role' must be a string, not true");
        refused(send("POST", issue, "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"alternativeNames\":[\"a\",2]}",
                "alice"), 400, "field 'alternativeNames[1]' must be a string, not a whole number");
        refused(send("POST", "/api/v1/cas", "{\"subject\":\"CN=x\",\"validityDays\":30.9}", "alice"), 400,
                "field 'validityDays' must be a whole number, not a decimal number");
        TestWeb.Reply password = send("POST", "/api/v1/certificates/1/pkcs12", "{\"password\":12345678}", "alice");
        refused(password, 400, "field 'password' must be a string, not a whole number");
        assertFalse(password.body().contains("12345678"), password.body());
        refused(send("POST", "/api/v1/certificates/1/revoke", "{\"reason\":1}", "alice"), 400,
                "field 'reason' must be a string, not a whole number");
        String notification = "/api/v1/notifications";
        refused(send("POST", notification, "{\"name\":123,\"scope\":\"CAS\"}", "alice"), 400,
                "field 'name' must be a string, not a whole number");
        refused(send("POST", notification, "{\"name\":\"x\",\"scope\":\"CAS\",\"thresholds\":[30.9]}", "alice"), 400,
                "field 'thresholds[0]' must be a whole number, not a decimal number");
        refused(send("POST", notification, "{\"name\":\"x\",\"scope\":\"CAS\",\"thresholds\":[30,null]}", "alice"), 400,
                "field 'thresholds' must list whole numbers of days; null is not one");
        refused(send("POST", notification, "{\"name\":\"x\",\"scope\":\"CAS\",\"emailRecipients\":[null]}", "alice"), 400,
                "field 'emailRecipients' must list e-mail addresses; null is not one");
        refused(send("POST", notification, "{\"name\":\"x\",\"scope\":\"CAS\",\"snmp\":\"true\"}", "alice"), 400,
                "field 'snmp' must be true or false, not a string");
        refused(send("POST", notification, "{\"name\":\"x\",\"scope\":\"CAS\",\"enabled\":1}", "alice"), 400,
                "field 'enabled' must be true or false, not a whole number");
        assertEquals(before, certificates());
        assertEquals(cas, web.store.cas().size());
        assertEquals(0, notifications.definitions.size());
        // the same bodies with the right types are taken
        assertEquals(201, send("POST", issue, "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\"}", "alice").status());
        assertEquals(201, send("POST", notification, "{\"name\":\"x\",\"scope\":\"CAS\",\"thresholds\":[30]}", "alice")
                .status());
    }

    @Test
    void aGroupOutsideTheHomeGroupAnswersExactlyAsOneThatDoesNotExist() throws Exception {
        String existing = send("POST", "/api/v1/notifications", "{\"name\":\"mine\",\"scope\":\"CAS\"}", "alice").body();
        String id = existing.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
        int before = certificates();
        int cas = web.store.cas().size();
        // Hamburg exists (bob's), the others do not, All is above alice's home group; the dotted ones climb out
        for (String group : List.of("All/Hamburg", "All/DoesNotExist", "All/Berlin/../Hamburg", "All/Berlin/..",
                "All/Berlin/.", "All/./Berlin", "All", "All//Berlin", "All/Berlin/", "Hamburg", "All/Berlin/Lab")) {
            String quoted = new String(Json.write(group), java.nio.charset.StandardCharsets.UTF_8);
            refused(send("POST", "/api/v1/certificates", "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"homeGroup\":"
                    + quoted + "}", "alice"), 400, "field 'homeGroup': unknown group '" + group + "'");
            refused(send("POST", "/api/v1/cas", "{\"subject\":\"CN=x\",\"homeGroup\":" + quoted + "}", "alice"), 400,
                    "field 'homeGroup': unknown group '" + group + "'");
            refused(send("POST", "/api/v1/notifications", "{\"name\":\"x\",\"scope\":\"CAS\",\"ownerGroup\":" + quoted
                    + "}", "alice"), 400, "field 'ownerGroup': unknown group '" + group + "'");
            refused(send("PUT", "/api/v1/notifications/" + id, "{\"ownerGroup\":" + quoted + "}", "alice"), 400,
                    "field 'ownerGroup': unknown group '" + group + "'");
            refused(web.get("/api/v1/certificates?group=" + java.net.URLEncoder.encode(group,
                    java.nio.charset.StandardCharsets.UTF_8), "Authorization", TestWeb.basic("alice")), 400,
                    "parameter 'group': unknown group '" + group + "'");
        }
        assertEquals(before, certificates());
        assertEquals(cas, web.store.cas().size());
        assertEquals(1, notifications.definitions.size());
        assertEquals("All/Berlin", notifications.definitions.get(id).ownerGroup());
        // the home group itself, written out or left to default, is taken
        assertEquals(201, send("POST", "/api/v1/notifications", "{\"name\":\"y\",\"scope\":\"CAS\",\"ownerGroup\":\" All/Berlin \"}",
                "alice").status());
        assertEquals(201, send("POST", "/api/v1/certificates",
                "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"homeGroup\":\"All/Berlin\"}", "alice").status());
        assertEquals(200, web.get("/api/v1/certificates?group=All/Berlin", "Authorization", TestWeb.basic("alice")).status());
        // the pages check the same way: the issue form with a foreign group
        String[] session = web.login("alice");
        TestWeb.Reply page = web.send("POST", "/certificates", "csrf=" + session[1]
                + "&caId=1&role=AGENT&host=y&homeGroup=All%2FHamburg", "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(400, page.status(), page.body());
        assertTrue(page.body().contains("unknown group"), page.body());
    }

    @Test
    void theIssueFormWithoutAlternativeNamesIssues() throws Exception {
        String[] session = web.login("alice");
        TestWeb.Reply page = web.send("POST", "/certificates", "csrf=" + session[1] + "&caId=1&role=AGENT&host=pc-b9",
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, page.status(), page.body());
    }

    /** The audit entries a request added. */
    private List<AuditEntry> audited(Request request) throws Exception {
        int before = web.audit.size();
        request.send();
        return List.copyOf(web.audit.subList(before, web.audit.size()));
    }

    private interface Request {
        void send() throws Exception;
    }

    private void once(String actor, String action, String outcomePart, Request request) throws Exception {
        List<AuditEntry> added = audited(request);
        assertEquals(1, added.size(), action + ": " + added);
        AuditEntry e = added.get(0);
        assertEquals(actor, e.actor(), e.toString());
        assertEquals(action, e.action(), e.toString());
        assertEquals("127.0.0.1", e.from(), e.toString());
        assertTrue(e.outcome().startsWith("refused: ") && e.outcome().contains(outcomePart), e.toString());
    }

    @Test
    void everyRefusedChangeIsAuditedOnceWithTheRemoteAddress() throws Exception {
        String issue = "/api/v1/certificates";
        // each user's first HTTP Basic request is their audited login; what follows is counted
        for (String user : List.of("alice", "reader")) {
            assertEquals(200, web.get("/api/v1/status", "Authorization", TestWeb.basic(user)).status());
        }
        once("alice", "web.certificate.issue", "malformed JSON", () -> send("POST", issue, "{\"caId\":1,", "alice"));
        once("alice", "web.certificate.issue", "unknown field 'colour'",
                () -> send("POST", issue, "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"colour\":1}", "alice"));
        once("alice", "web.certificate.issue", "field 'caId' must be a whole number",
                () -> send("POST", issue, "{\"caId\":1.5,\"role\":\"AGENT\",\"host\":\"x\"}", "alice"));
        once("alice", "web.certificate.issue", "not issued", () -> send("POST", issue,
                "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"notAfter\":\"2099-01-01T00:00:00Z\"}", "alice"));
        once("alice", "web.certificate.issue", "unknown group", () -> send("POST", issue,
                "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\",\"homeGroup\":\"All/Hamburg\"}", "alice"));
        once("alice", "web.ca.create", "1 MiB", () -> send("POST", "/api/v1/cas",
                "{\"description\":\"" + "x".repeat(Exchange.MAX_BODY + 10) + "\"}", "alice"));
        once("alice", "web.notification.create", "unknown scope",
                () -> send("POST", "/api/v1/notifications", "{\"name\":\"x\",\"scope\":\"EVERYTHING\"}", "alice"));
        once("alice", "web.notification.update", "not found",
                () -> send("PUT", "/api/v1/notifications/n404", "{\"name\":\"x\"}", "alice"));
        once("alice", "web.certificate.revoke", "not found",
                () -> send("POST", "/api/v1/certificates/3/revoke", "{\"reason\":\"superseded\"}", "alice"));
        once("alice", "web.request", "not allowed", () -> send("PATCH", "/api/v1/certificates/1", null, "alice"));
        // refusals audited where they happen, with more detail, are not written twice
        once("reader", "web.certificate.issue", "write permission",
                () -> send("POST", issue, "{\"caId\":1,\"role\":\"AGENT\",\"host\":\"x\"}", "reader"));
        String[] session = web.login("alice");
        List<AuditEntry> csrf = audited(() -> web.send("POST", issue, "{}", "Cookie", session[0], "Content-Type", JSON));
        assertEquals(1, csrf.size(), csrf.toString());
        assertEquals("csrf", csrf.get(0).action());
        List<AuditEntry> wrongPassword = audited(() -> web.send("POST", issue, "{}", "Authorization",
                "Basic " + java.util.Base64.getEncoder().encodeToString("alice:nope".getBytes()), "Content-Type", JSON));
        assertEquals(1, wrongPassword.size(), wrongPassword.toString());
        assertEquals("login", wrongPassword.get(0).action());
        // no credentials at all: answered, not written (anyone could fill the disk so)
        assertEquals(List.of(), audited(() -> web.send("POST", issue, "{}", "Content-Type", JSON)));
        // reading is not changing: a refused GET is not audited (alice's password, forgotten after the failure
        // above, is checked anew: that is her login, not the refusal)
        assertEquals(List.of("login"), audited(() -> web.get("/api/v1/certificates/999", "Authorization",
                TestWeb.basic("alice"))).stream().map(AuditEntry::action).toList());
        // a title repeating a huge field name is cut in the log
        once("alice", "web.certificate.issue", "unknown field", () -> send("POST", issue,
                "{\"" + "k".repeat(5000) + "\":1}", "alice"));
        assertTrue(web.audit.get(web.audit.size() - 1).outcome().length() < RefusalAudit.MAX_TEXT + 20);
    }
    @Test
    void issuingFromADeletedCaIsAConflict() throws Exception {
        long ca = web.store.addCa("CN=Gone CA", "All/Berlin", java.time.Instant.parse("2036-01-01T00:00:00Z")).id();
        web.store.deleteCa(ca, null, "alice");
        int before = certificates();
        refused(send("POST", "/api/v1/certificates", "{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"x\"}",
                "alice"), 409, "certificate not issued: CA " + ca + " is deleted and has no key any more");
        assertEquals(before, certificates());
    }
}
