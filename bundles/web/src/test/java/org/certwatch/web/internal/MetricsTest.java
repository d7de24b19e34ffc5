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
                    + "issuer_CN=\"Hamburg CA\",serial_number=\"11255811\",serial=\"ABC003\",role=\"AGENT\",group=\"All/Hamburg\",id=\"3\"} "
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
    void aRetiredOrSupersededCertificateHasNoSeries() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            var shop = web.store.add(0, org.certwatch.api.Role.MONITORED, "shop.example.org", "All/Hamburg",
                    TestWeb.START.plus(java.time.Duration.ofDays(20)));
            String before = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            org.junit.jupiter.api.Assertions.assertTrue(before.contains("subject_CN=\"shop.example.org\""), before);
            web.store.setRetired(shop.id(), true, "test");
            web.clock.advance(ViewCache.MAX_AGE); // in the server, the store's event recomputes the view
            String after = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            org.junit.jupiter.api.Assertions.assertTrue(after.contains("subject_CN=\"pc-h1\""), after);
            org.junit.jupiter.api.Assertions.assertFalse(after.contains("subject_CN=\"shop.example.org\""),
                    "issue 16: an alert rule on a certificate no longer in use would fire forever\n" + after);
        }
    }

    @Test
    void everyRegisteredSourceIsRenderedOnceANameAndABrokenOneIsLeftOut() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            web.sources.add(() -> java.util.List.of(
                    org.certwatch.api.metrics.MetricSample.counter("certwatch_notices_delivered_total", "delivered",
                            java.util.Map.of("channel", "mail"), 3),
                    org.certwatch.api.metrics.MetricSample.counter("certwatch_notices_delivered_total", "delivered",
                            java.util.Map.of("channel", "sn\"mp"), 4)));
            web.sources.add(() -> {
                throw new IllegalStateException("broken source");
            });
            web.sources.add(() -> java.util.List.of(new org.certwatch.api.metrics.MetricSample("certwatch_outbox_notices",
                    "waiting", org.certwatch.api.metrics.MetricSample.Kind.GAUGE, java.util.Map.of(), 2.5)));
            String body = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            assertEquals(1, body.split("# TYPE certwatch_notices_delivered_total counter", -1).length - 1, body);
            org.junit.jupiter.api.Assertions.assertTrue(body.contains("certwatch_notices_delivered_total{channel=\"mail\"} 3\n")
                    && body.contains("certwatch_notices_delivered_total{channel=\"sn\\\"mp\"} 4\n")
                    && body.contains("# TYPE certwatch_outbox_notices gauge\ncertwatch_outbox_notices 2.5\n"), body);
        }
    }

    @Test
    void casHaveSeriesWithTheRoleCaInTheirUsersScope() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            String body = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            org.junit.jupiter.api.Assertions.assertTrue(java.util.regex.Pattern.compile(
                    "x509_cert_expires_in_seconds\\{subject_CN=\"Hamburg CA\",issuer_CN=\"Hamburg CA\",serial_number=\"\\d+\","
                            + "serial=\"[0-9A-F]+\",role=\"CA\",group=\"All/Hamburg\",id=\"\\d+\"\\} " + 3000L * 86_400 + "\n")
                    .matcher(body).find(), body);
            org.junit.jupiter.api.Assertions.assertTrue(body.contains("x509_cert_not_after{subject_CN=\"Hamburg CA\""), body);
            org.junit.jupiter.api.Assertions.assertFalse(body.contains("Berlin CA"), "another group's CA: " + body);
            org.junit.jupiter.api.Assertions.assertTrue(body.contains("# TYPE certwatch_computers gauge\n")
                    && body.contains("certwatch_computers{status=\"SILENT\"} "), body);
        }
    }

    @Test
    void sampleNamesAreChecked() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.certwatch.api.metrics.MetricSample.counter("bad name", "", java.util.Map.of(), 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.certwatch.api.metrics.MetricSample.counter("ok_total", "", java.util.Map.of("a:b", "x"), 1));
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
        assertEquals("/certificates", LoginPage.safeNext("/certificates"));
        assertEquals("/", LoginPage.safeNext("//evil.example"));
        assertEquals("/", LoginPage.safeNext("https://evil.example"));
        assertEquals("/", LoginPage.safeNext(null));
    }
}
