package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.certwatch.api.Role;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.Test;

/** /metrics for monitored certificates: x509-certificate-exporter's gauges per location, and its read errors. */
class LocationMetricsTest {
    static Location at(String address, String group, LocationState state, long certificateId) {
        return new Location(0, new LocationRef("files", LocationKind.FILE, address, group), state, certificateId,
                List.of(), state == LocationState.FAILING ? LocationFailure.CORRUPT : null, "", 0, TestWeb.START,
                TestWeb.START, TestWeb.START);
    }

    @Test
    void aMonitoredCertificateHasOneSeriesPerWatchedLocationAndFailingOnesAreReadErrors() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            var ca = web.store.addCa("CN=Public CA", "All/Hamburg", TestWeb.START.plus(Duration.ofDays(3000)));
            var watched = web.store.add(ca.id(), Role.MONITORED, "www.example.org", "All/Hamburg",
                    TestWeb.START.plus(Duration.ofDays(60)));
            String body = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            assertFalse(body.contains("x509_read_errors"), "no registry: no read errors, no location labels");

            MemoryLocationRegistry registry = new MemoryLocationRegistry(web.clock);
            registry.put(at("/etc/ssl/www.pem", "All/Hamburg", LocationState.OK, watched.id()));
            registry.put(at("/srv/www \"copy\".pem", "All/Hamburg", LocationState.FAILING, watched.id()));
            registry.put(at("/etc/ssl/old.pem", "All/Hamburg", LocationState.GONE, watched.id()));
            registry.put(at("/etc/ssl/berlin.pem", "All/Berlin", LocationState.FAILING, 0));
            web.locations = registry;
            body = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            String series = "x509_cert_not_after{subject_CN=\"www.example.org\",issuer_CN=\"Public CA\",serial_number=\""
                    + watched.serial() + "\",serial=\"" + org.certwatch.api.store.OpenSslText.serial(watched.serial())
                    + "\",role=\"MONITORED\",group=\"All/Hamburg\",id=\"" + watched.id() + "\",source=\"files\","
                    + "location=\"";
            long notAfter = watched.notAfter().getEpochSecond();
            assertTrue(body.contains(series + "/etc/ssl/www.pem\"} " + notAfter + "\n"), body);
            assertTrue(body.contains(series + "/srv/www \\\"copy\\\".pem\"} " + notAfter + "\n"), body);
            assertFalse(body.contains("old.pem"), "a gone location holds nothing now");
            assertTrue(body.contains("# TYPE x509_read_errors gauge\nx509_read_errors 1\n"), "Berlin's is not bob's");
            assertTrue(body.contains("x509_cert_not_after{subject_CN=\"pc-h1\",issuer_CN=\"Hamburg CA\","
                    + "serial_number=\"11255811\",serial=\"ABC003\",role=\"AGENT\",group=\"All/Hamburg\",id=\"3\"} "),
                    "an issued certificate's series is unchanged");
            assertEquals(2, body.split("x509_cert_expired\\{subject_CN=\"www.example.org\"", -1).length - 1, body);
        }
    }
}
