package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.certwatch.api.Role;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.store.CaInfo;
import org.certwatch.api.store.CertificateInfo;
import org.certwatch.api.store.CertificateQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Policies over HTTP: scoped to the home group, validated (422), a rollover's refused (409), each refusal audited once. */
class PoliciesWebTest {
    private TestWeb web;
    private final String planner = TestWeb.basic("planner");
    private long berlinCa;
    private long hamburgCa;
    private long berlinAgent;
    private long hamburgAgent;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        web.users.put("planner", new User("planner", "All/Berlin", EnumSet.of(Permission.COMPUTERS_READ,
                Permission.COMPUTERS_WRITE, Permission.CERTIFICATES_READ, Permission.CERTIFICATES_USE), true, TestWeb.START));
        berlinCa = ca("CN=Berlin CA");
        hamburgCa = ca("CN=Hamburg CA");
        berlinAgent = agent("All/Berlin");
        hamburgAgent = agent("All/Hamburg");
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    private long ca(String subject) {
        return web.store.cas().stream().filter(c -> c.subject().equals(subject)).findFirst().map(CaInfo::id).orElseThrow();
    }

    private long agent(String group) {
        return web.store.certificates(new CertificateQuery(null, Role.AGENT, group, false, null, null, null)).stream()
                .findFirst().map(CertificateInfo::id).orElseThrow();
    }

    private TestWeb.Reply post(String body) throws Exception {
        return web.send("POST", "/api/v1/policies", body, "Authorization", planner);
    }

    private long refusals(String action) {
        return web.audit.stream().filter(e -> e.action().equals(action) && e.outcome().startsWith("refused")).count();
    }

    @Test
    void aPolicyIsMadeReadChangedAndDeletedInsideTheHomeGroup() throws Exception {
        TestWeb.Reply created = post("{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"certificateId\":" + berlinAgent
                + ",\"trustedCaIds\":[" + berlinCa + "],\"description\":\"lab agents\"}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.header("location").endsWith("/api/v1/policies/1"), created.header("location"));
        assertTrue(created.body().contains("\"certificateId\":" + berlinAgent) && !created.body().contains("issuingCaId"),
                "the id it does not name is absent: " + created.body());
        assertTrue(web.get("/api/v1/policies", "Authorization", planner).body().contains("\"lab agents\""));
        assertEquals(200, web.get("/api/v1/policies/1", "Authorization", planner).status());
        // another home group does not see it, nor change it
        assertFalse(web.get("/api/v1/policies", "Authorization", TestWeb.basic("bob")).body().contains("lab agents"));
        assertEquals(404, web.get("/api/v1/policies/1", "Authorization", TestWeb.basic("bob")).status());

        TestWeb.Reply changed = web.send("PUT", "/api/v1/policies/1", "{\"issuingCaId\":" + berlinCa + ",\"trustedCaIds\":["
                + berlinCa + "]}", "Authorization", planner);
        assertEquals(200, changed.status(), changed.body());
        assertTrue(changed.body().contains("\"issuingCaId\":" + berlinCa) && changed.body().contains("\"lab agents\""),
                changed.body());
        TestWeb.Reply moved = web.send("PUT", "/api/v1/policies/1", "{\"group\":\"All\",\"issuingCaId\":" + berlinCa + "}",
                "Authorization", planner);
        assertEquals(422, moved.status(), moved.body());

        // the computer's resource names the policy that applies to it; the list does not
        String computer = web.get("/api/v1/computers/1", "Authorization", planner).body();
        assertTrue(computer.contains("\"policy\":{\"id\":1,\"group\":\"All/Berlin\",\"state\":\"NOT_SENT\"}"), computer);
        assertFalse(web.get("/api/v1/computers", "Authorization", planner).body().contains("\"policy\""));

        web.administration.neededByRollover.add(1L);
        TestWeb.Reply needed = web.send("DELETE", "/api/v1/policies/1", null, "Authorization", planner);
        assertEquals(409, needed.status(), needed.body());
        assertEquals("application/problem+json", needed.header("content-type"));
        assertTrue(needed.body().contains("rollover"), needed.body());
        assertEquals(409, web.send("PUT", "/api/v1/policies/1", "{\"issuingCaId\":" + berlinCa + "}", "Authorization", planner)
                .status());
        web.administration.neededByRollover.clear();
        assertEquals(204, web.send("DELETE", "/api/v1/policies/1", null, "Authorization", planner).status());
        assertEquals(404, web.get("/api/v1/policies/1", "Authorization", planner).status());
    }

    @Test
    void unknownCertificatesCasAndGroupsAre422AndEachRefusalIsAuditedOnce() throws Exception {
        String[] refused = {
            "{\"group\":\"All/Hamburg\",\"component\":\"AGENT\",\"certificateId\":" + berlinAgent + "}",
            "{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"certificateId\":" + hamburgAgent + "}",
            "{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"certificateId\":999999}",
            "{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"issuingCaId\":" + hamburgCa + "}",
            "{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"certificateId\":" + berlinAgent + ",\"trustedCaIds\":["
                    + hamburgCa + "]}",
            "{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"certificateId\":" + berlinAgent + ",\"issuingCaId\":" + berlinCa + "}",
            "{\"group\":\"All/Berlin\",\"component\":\"SERVER\",\"certificateId\":" + berlinAgent + "}",
        };
        for (String body : refused) {
            TestWeb.Reply r = post(body);
            assertEquals(422, r.status(), body + " → " + r.body());
            assertEquals("application/problem+json", r.header("content-type"));
        }
        assertTrue(post("{\"group\":\"All/Hamburg\",\"component\":\"AGENT\",\"certificateId\":" + berlinAgent + "}").body()
                .contains("unknown group"));
        assertTrue(post("{\"group\":\"All/Berlin\",\"component\":\"AGENT\",\"certificateId\":" + hamburgAgent + "}").body()
                .contains("unknown certificate " + hamburgAgent), "a certificate outside the scope is as unknown as none");
        assertEquals(400, post("{\"group\":").status(), "malformed JSON");
        assertEquals(403, web.send("POST", "/api/v1/policies", "{\"component\":\"AGENT\",\"certificateId\":" + berlinAgent + "}",
                "Authorization", TestWeb.basic("alice")).status(), "no COMPUTERS_WRITE");
        assertEquals(403, web.get("/api/v1/policies", "Authorization", TestWeb.basic("reader")).status(), "no COMPUTERS_READ");
        assertTrue(web.administration.policies().isEmpty());
        // every refusal once; the last body's (SERVER) is the fleet's to audit, which the memory fleet does not
        assertEquals(refused.length - 1 + 2 + 1 + 1, refusals("policy.create"), web.audit.toString());
    }

    @Test
    void thePageListsMakesAndDeletesPolicies() throws Exception {
        String[] session = web.login("planner");
        TestWeb.Reply made = web.send("POST", "/policies", "csrf=" + session[1] + "&group=All%2FBerlin&component=PROXY"
                + "&source=ca&certificateId=&issuingCaId=" + berlinCa + "&trust." + berlinCa + "=on&description=proxies",
                "Cookie", session[0], "Content-Type", "application/x-www-form-urlencoded");
        assertEquals(303, made.status(), made.body());
        String page = web.get("/policies", "Cookie", session[0]).body();
        assertTrue(page.contains("id=\"policy-1\"") && page.contains("a certificate per computer from CA") && page.contains("proxies"),
                page);
        assertTrue(web.get("/computers/1", "Cookie", session[0]).body().contains("No policy applies to its agent"),
                "a PROXY policy is not the agent's");
        // a policy of a group above the home group applies, and is named, but not linked: its page is not the planner's
        web.administration.createPolicy("All", Role.AGENT, berlinAgent, 0, java.util.List.of(), "", "root");
        String computer = web.get("/computers/1", "Cookie", session[0]).body();
        assertTrue(computer.contains("Policy 2 (of a group above yours) of All: not sent"), computer);
        assertEquals(303, web.send("POST", "/policies/1/delete", "csrf=" + session[1], "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded").status());
        assertEquals(java.util.List.of(2L), web.administration.policies().stream().map(p -> p.id()).toList());
        assertEquals(403, web.send("POST", "/policies/1/delete", "", "Cookie", session[0],
                "Content-Type", "application/x-www-form-urlencoded").status(), "no CSRF token");
    }

    @Test
    void aPolicyWithoutComponentIsToldTheComponentsAPolicyTakes() throws Exception {
        TestWeb.Reply missing = post("{\"group\":\"All/Berlin\",\"issuingCaId\":1}");
        assertEquals(400, missing.status(), missing.body());
        assertTrue(missing.body().contains("field 'component' is required; use one of AGENT, PROXY, MDM\""), missing.body());
    }
}
