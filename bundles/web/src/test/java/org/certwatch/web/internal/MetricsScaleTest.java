package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.certwatch.api.Role;
import org.junit.jupiter.api.Test;

/**
 * The scrape of 100,000 certificates, as Prometheus asks for it (gzip): every certificate has its series, and the
 * values follow the clock while the labels are kept from scrape to scrape. How long a scrape takes is the metrics
 * benchmark's figure ({@code ./certwatch bench metrics}, docs/benchmarks.md), not this test's: on a shared machine
 * a timed assertion measures the machine's load.
 */
class MetricsScaleTest {
    static final int CERTIFICATES = 100_000;

    @Test
    void aScrapeOf100000CertificatesHasEverySeriesAndValuesFollowTheClock() throws Exception {
        try (TestWeb web = new TestWeb()) {
            var ca = web.store.addCa("CN=Scale CA", "All/Berlin", TestWeb.START.plus(Duration.ofDays(3000)));
            for (int i = 0; i < CERTIFICATES; i++) {
                web.store.add(ca.id(), Role.AGENT, "pc-" + i + ".example.org", i % 2 == 0 ? "All/Berlin" : "All/Hamburg",
                        TestWeb.START.plus(Duration.ofDays(1 + i % 700)));
            }
            web.users.put("root", new org.certwatch.api.fleet.User("root", "All",
                    java.util.EnumSet.allOf(org.certwatch.api.fleet.Permission.class), true, TestWeb.START));
            HttpRequest scrape = HttpRequest.newBuilder(URI.create(web.base + "/metrics")).timeout(Duration.ofSeconds(120))
                    .header("Authorization", TestWeb.basic("root")).header("Accept-Encoding", "gzip").build();
            String first = scrape(web, scrape);
            web.clock.advance(Duration.ofSeconds(30));
            String second = scrape(web, scrape);
            String series = "x509_cert_expires_in_seconds{subject_CN=\"pc-7.example.org\",";
            assertEquals(CERTIFICATES + 1, count(second, "x509_cert_expires_in_seconds{"), "every certificate and the CA");
            assertEquals(CERTIFICATES + 1, count(second, "x509_cert_not_after{"));
            assertEquals(value(first, series) - 30, value(second, series), "the value moved with the clock");
        }
    }

    private static String scrape(TestWeb web, HttpRequest scrape) throws Exception {
        HttpResponse<byte[]> r = web.http.send(scrape, HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Lines that start with the prefix (indexOf: some 70 MB of text, scanned without a String per line). */
    private static int count(String body, String prefix) {
        int n = 0;
        for (int at = body.indexOf("\n" + prefix); at >= 0; at = body.indexOf("\n" + prefix, at + 1)) {
            n++;
        }
        return n;
    }

    private static long value(String body, String prefix) {
        int start = body.indexOf("\n" + prefix) + 1;
        int end = body.indexOf('\n', start);
        return Long.parseLong(body.substring(body.lastIndexOf(' ', end) + 1, end));
    }
}
