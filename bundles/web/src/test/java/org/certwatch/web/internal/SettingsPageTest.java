package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.certwatch.api.fleet.Group;
import org.certwatch.api.fleet.Permission;
import org.certwatch.api.fleet.User;
import org.certwatch.api.store.CaStatus;
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

    /** Deleting a CA outside a rollover: never the one behind the server certificate in use, not even forced. */
    @Test
    void theCaOfTheServerCertificateInUseIsNotDeletedEvenForced() throws Exception {
        long serverCa = web.store.serverCertificate().orElseThrow().caId();
        TestWeb.Reply forced = web.send("DELETE", "/api/v1/cas/" + serverCa, "{\"forceReason\":\"cleaning up\"}",
                "Authorization", TestWeb.basic("root"));
        assertEquals(409, forced.status(), forced.body());
        assertTrue(forced.body().contains("it issued the server certificate in use (certificate "
                + web.store.serverCertificate().orElseThrow().id() + ")"), forced.body());
        assertEquals(CaStatus.ACTIVE, web.store.ca(serverCa).orElseThrow().status(), "nothing changed");
        assertTrue(web.audit.stream().anyMatch(e -> e.target().equals("ca:" + serverCa) && e.outcome().startsWith("refused")),
                web.audit.toString());

        long other = web.store.cas().stream().filter(c -> c.id() != serverCa).findFirst().orElseThrow().id();
        TestWeb.Reply deleted = web.send("DELETE", "/api/v1/cas/" + other, "{\"forceReason\":\"cleaning up\"}",
                "Authorization", TestWeb.basic("root"));
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals(CaStatus.DELETED, web.store.ca(other).orElseThrow().status());
    }
}
