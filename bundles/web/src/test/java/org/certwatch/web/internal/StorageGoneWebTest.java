package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, item 1: while the store and the audit log (or the fleet) are gone with their backend's bundle, the web
 * answers what needs them with the 503 storage-unavailable problem and Retry-After, reads included; the login page
 * and the stylesheet still answer, and everything answers again when they are back.
 */
class StorageGoneWebTest {
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

    private static void assertUnavailable(TestWeb.Reply r, String why) {
        assertEquals(503, r.status(), r.body());
        assertEquals("application/problem+json", r.header("content-type"), r.body());
        assertTrue(r.body().contains("\"type\":\"urn:certwatch:problem:storage-unavailable\""), r.body());
        assertTrue(r.body().contains("\"title\":\"storage unavailable, nothing was changed; try again later: "), r.body());
        assertTrue(r.body().contains(why), r.body());
        assertEquals("5", r.header("retry-after"));
        assertFalse(r.body().contains("Exception"), r.body());
    }

    @Test
    void whatNeedsTheStoreIs503WhileItIsGoneAndAnswersWhenItIsBack() throws Exception {
        long ca = web.store.cas().get(0).id();
        String issue = "{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"pc-gone.example.org\"}";
        int certificates = web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size();
        web.storageGone = true;
        // the first use of alice's credentials is audited before the store is asked: the audit log says so first
        assertUnavailable(web.send("POST", "/api/v1/certificates", issue, "Authorization", alice), " is not running");
        assertUnavailable(web.get("/api/v1/cas", "Authorization", alice), "the certificate store is not running");
        assertUnavailable(web.get("/crl/" + ca + ".crl"), "the certificate store is not running");
        assertEquals(200, web.get("/login").status());
        assertEquals(200, web.get("/static/style.css").status());
        TestWeb.Reply page = web.get("/certificates", "Authorization", alice);
        assertFalse(page.status() == 500, page.body());

        web.storageGone = false;
        assertEquals(200, web.get("/api/v1/cas", "Authorization", alice).status());
        assertEquals(201, web.send("POST", "/api/v1/certificates", issue, "Authorization", alice).status());
        assertEquals(certificates + 1, web.store.certificates(org.certwatch.api.store.CertificateQuery.all()).size(),
                "the refused write left nothing behind");
    }

    @Test
    void withoutTheFleetCredentialsAre503NotAWrongPassword() throws Exception {
        web.fleetGone = true;
        assertUnavailable(web.get("/api/v1/cas", "Authorization", TestWeb.basic("bob")),
                "no user directory is running");
        web.fleetGone = false;
        assertEquals(200, web.get("/api/v1/cas", "Authorization", TestWeb.basic("bob")).status());
    }
}
