package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.store.CertificateInfo;
import org.junit.jupiter.api.Test;

/** Issue 18, item 5: the certificate page in words, with the actions that can work for that certificate. */
class CertificatePageTest {
    @Test
    void labelsAreWordsAndActionsOnlyWhereTheyCanWork() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            CertificateInfo watched = web.store.add(id -> new CertificateInfo(id, Role.MONITORED, "shop.example.org",
                    List.of(), 0, "CN=Some Public CA", "CN=shop.example.org", BigInteger.valueOf(0x1000),
                    TestWeb.START.minus(Duration.ofDays(1)), TestWeb.START.plus(Duration.ofDays(30)), "fp-shop", "RSA",
                    2048, false, "All/Berlin", "", TestWeb.START, null, null, 0, 0));
            String[] session = web.login("alice");

            String issued = web.get("/certificates/1", "Cookie", session[0]).body();
            assertTrue(issued.contains("<dt>Issued by</dt><dd><a href=\"/cas/1\">CN=Berlin CA</a></dd>"), issued);
            assertTrue(issued.contains("<dt>Role</dt><dd>agent</dd>")
                    && issued.contains("<dt>Private key</dt><dd>held by certwatch (encrypted)</dd>")
                    && issued.contains("<dt>Key</dt><dd>EC, 256 bits</dd>"), issued);
            assertTrue(issued.contains("Download PKCS#12") && issued.contains("/revoke\""), issued);
            for (String jsonName : List.of("caId", "hasKey", "alternativeNames", "predecessorId", "<dt>Description")) {
                assertFalse(issued.contains(jsonName), jsonName + " in " + issued);
            }

            String other = web.get("/certificates/" + watched.id(), "Cookie", session[0]).body();
            assertTrue(other.contains("CN=Some Public CA (not issued by certwatch)")
                    && other.contains("<dt>Private key</dt><dd>not held by certwatch</dd>"), other);
            // no key: nothing to put in a PKCS#12; not issued here: certwatch cannot revoke it
            assertFalse(other.contains("PKCS#12") || other.contains("/revoke\""), other);
        }
    }
}
