package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A PKCS#12 carries a key: the API refuses one for a certificate whose key certwatch does not hold. */
class Pkcs12ExportWebTest {
    private TestWeb web;

    @BeforeEach
    void start() throws Exception {
        web = new TestWeb();
        web.seed();
    }

    @AfterEach
    void stop() throws Exception {
        web.close();
    }

    @Test
    void aCertificateWithoutKeyIsNotExportedAsPkcs12() throws Exception {
        CertificateInfo issued = web.store.add(1, Role.AGENT, "pc-keyless", "All/Berlin", TestWeb.START.plus(Duration.ofDays(90)));
        CertificateInfo c = issued;
        web.store.put(new CertificateInfo(c.id(), Role.MONITORED, c.host(), c.alternativeNames(), c.subjectAltNames(), 0,
                "CN=elsewhere", c.subject(), c.serial(), c.notBefore(), c.notAfter(), c.fingerprint(), c.keyAlgorithm(),
                c.keySize(), false, c.homeGroup(), c.description(), c.createdAt(), null, null, 0, 0, null));
        TestWeb.Reply refused = web.send("POST", "/api/v1/certificates/" + c.id() + "/pkcs12", "{\"password\":\"abcdefgh1\"}",
                "Authorization", TestWeb.basic("alice"));
        assertEquals(409, refused.status(), refused.body());
        assertTrue(refused.body().contains("has no private key certwatch holds"), refused.body());
        assertEquals(200, web.send("POST", "/api/v1/certificates/1/pkcs12", "{\"password\":\"abcdefgh1\"}",
                "Authorization", TestWeb.basic("alice")).status(), "one with its key still is");
    }
}
