package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.certwatch.api.store.CaStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deleting a CA outside a rollover: never the one behind the server certificate in use, not even forced. */
class CaDeletionWebTest {
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

    @Test
    void theCaOfTheServerCertificateInUseIsNotDeletedEvenForced() throws Exception {
        long serverCa = web.store.serverCertificate().orElseThrow().caId();
        TestWeb.Reply forced = web.send("DELETE", "/api/v1/cas/" + serverCa, "{\"forceReason\":\"cleaning up\"}",
                "Authorization", root);
        assertEquals(409, forced.status(), forced.body());
        assertTrue(forced.body().contains("it issued the server certificate in use (certificate "
                + web.store.serverCertificate().orElseThrow().id() + ")"), forced.body());
        assertEquals(CaStatus.ACTIVE, web.store.ca(serverCa).orElseThrow().status(), "nothing changed");
        assertTrue(web.audit.stream().anyMatch(e -> e.target().equals("ca:" + serverCa) && e.outcome().startsWith("refused")),
                web.audit.toString());

        long other = web.store.cas().stream().filter(c -> c.id() != serverCa).findFirst().orElseThrow().id();
        TestWeb.Reply deleted = web.send("DELETE", "/api/v1/cas/" + other, "{\"forceReason\":\"cleaning up\"}",
                "Authorization", root);
        assertEquals(200, deleted.status(), deleted.body());
        assertEquals(CaStatus.DELETED, web.store.ca(other).orElseThrow().status());
    }
}
