package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MetricsTest {
    @Test
    void metricsNeedALoginUnlessConfiguredPublic() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            assertEquals(401, web.get("/metrics").status());
            TestWeb.Reply r = web.get("/metrics", "Authorization", TestWeb.basic("bob"));
            assertEquals("text/plain; version=0.0.4; charset=utf-8", r.header("content-type"));
            org.junit.jupiter.api.Assertions.assertTrue(r.body().contains("x509_cert_expires_in_seconds{subject_CN=\"pc-h1\","
                    + "issuer_CN=\"Hamburg CA\",serial_number=\"abc003\",role=\"AGENT\",group=\"All/Hamburg\",id=\"3\"} "
                    + 200L * 86_400), r.body());
        }
        try (TestWeb web = new TestWeb(true)) {
            web.seed();
            TestWeb.Reply r = web.get("/metrics");
            assertEquals(200, r.status());
            org.junit.jupiter.api.Assertions.assertTrue(r.body().contains("pc-b1") && r.body().contains("pc-h1"), "everything");
        }
    }

    @Test
    void commonNameOfRfc4514Names() {
        assertEquals("pc-17", Metrics.commonName("CN=pc-17,OU=AGENT"));
        assertEquals("a,b", Metrics.commonName("O=x,CN=a\\,b"));
        assertEquals("", Metrics.commonName("O=none"));
    }

    @Test
    void labelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\n", Metrics.label("a\"b\\c\n"));
    }

    @Test
    void onlyLocalRedirectsAfterLogin() {
        assertEquals("/certificates", WebHandler.safeNext("/certificates"));
        assertEquals("/", WebHandler.safeNext("//evil.example"));
        assertEquals("/", WebHandler.safeNext("https://evil.example"));
        assertEquals("/", WebHandler.safeNext(null));
    }
}
