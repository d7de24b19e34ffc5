package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The settings page and the API show the same server certificate (the page reads the API's record). */
class SettingsPageTest {
    private TestWeb web;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
        web.users.put("root", new User("root", Group.ROOT, EnumSet.allOf(Permission.class), true, TestWeb.START));
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void thePageNamesTheCurrentServerCertificateAndOffersItSelected() throws Exception {
        TestWeb.Reply api = web.get("/api/v1/settings/server-certificate", "Authorization", TestWeb.basic("root"));
        assertEquals(200, api.status(), api.body());
        assertTrue(api.body().startsWith("{\"current\":{\"id\":2,\"role\":\"SERVER\""), api.body());
        String[] session = web.login("root");
        TestWeb.Reply page = web.get("/settings", "Cookie", session[0]);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Now: certificate 2 · CN=srv-b,OU=SERVER · until "), page.body());
        assertTrue(page.body().contains("<option value=\"2\" selected>"), page.body());
    }
}
