package org.certwatch.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.certwatch.api.Role;
import org.certwatch.api.source.EndpointProbe;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationFailure;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationRef;
import org.certwatch.api.source.LocationState;
import org.certwatch.testing.MemoryLocationRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ssl_exporter's probe gauges for endpoint locations on /metrics, read back by Python's prometheus_client parser. */
class ProbeMetricsTest {
    @TempDir
    Path dir;

    private static Location endpoint(String address, String group, LocationState state, long leaf, List<Long> chain,
            EndpointProbe probe) {
        return new Location(0, new LocationRef("tls", LocationKind.ENDPOINT, address, group), state, leaf, chain,
                state == LocationState.FAILING ? LocationFailure.UNREACHABLE : null, "", 0, TestWeb.START,
                TestWeb.START, TestWeb.START, List.of(), probe);
    }

    @Test
    void endpointsHaveSslExporterGaugesPerLocationAndPerCertificateOfTheirChain() throws Exception {
        try (TestWeb web = new TestWeb()) {
            web.seed();
            var ca = web.store.addCa("CN=Public CA", "All/Hamburg", TestWeb.START.plus(Duration.ofDays(3000)));
            var intermediate = web.store.add(ca.id(), Role.MONITORED, "R3", "All/Hamburg",
                    TestWeb.START.plus(Duration.ofDays(900)));
            var leaf = web.store.add(ca.id(), Role.MONITORED, "www.example.org", "All/Hamburg",
                    TestWeb.START.plus(Duration.ofDays(60)));
            MemoryLocationRegistry registry = new MemoryLocationRegistry(web.clock);
            EndpointProbe probe = new EndpointProbe("TLSv1.3", "TLS_AES_128_GCM_SHA256", Duration.ofMillis(37),
                    "[::1]:443", true);
            registry.put(endpoint("tls://[::1]:443#www.example.org", "All/Hamburg", LocationState.OK, leaf.id(),
                    List.of(intermediate.id()), probe));
            registry.put(endpoint("smtp://mail.example.org:587", "All/Hamburg", LocationState.FAILING, 0, List.of(),
                    null));
            registry.put(endpoint("tls://gone.example.org:443", "All/Hamburg", LocationState.GONE, leaf.id(), List.of(),
                    probe));
            registry.put(endpoint("tls://berlin.example.org:443", "All/Berlin", LocationState.OK, 0, List.of(),
                    probe));
            web.locations = registry;
            String body = web.get("/metrics", "Authorization", TestWeb.basic("bob")).body();
            Path text = Files.writeString(dir.resolve("metrics.txt"), body);
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", String.join("\n",
                    "import sys",
                    "from prometheus_client.parser import text_string_to_metric_families",
                    "for f in text_string_to_metric_families(open(sys.argv[1]).read()):",
                    "    for s in f.samples:",
                    "        if s.name.startswith('ssl_'):",
                    "            print(s.name, ','.join(k + '=' + v for k, v in sorted(s.labels.items())), repr(s.value))"),
                    text.toString()).redirectErrorStream(true).start();
            String parsed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), parsed);
            Set<String> lines = new TreeSet<>(List.of(parsed.trim().split("\n")));
            // prometheus_client's labels sorted by name, values as Python's repr of a float
            String ok = "location=tls://[::1]:443#www.example.org";
            String failing = "location=smtp://mail.example.org:587";
            Set<String> expected = new TreeSet<>(List.of(
                    "ssl_probe_success " + ok + ",source=tls 1.0",
                    "ssl_probe_success " + failing + ",source=tls 0.0",
                    "ssl_prober " + ok + ",prober=tcp,protocol=tls,source=tls 1.0",
                    "ssl_prober " + failing + ",prober=tcp,protocol=smtp,source=tls 1.0",
                    "ssl_tls_version_info " + ok + ",source=tls,version=TLSv1.3 1.0",
                    "ssl_probe_duration_seconds " + ok + ",source=tls 0.037",
                    "ssl_cert_not_after cn=www.example.org,issuer_cn=Public CA," + ok + ",serial_no=" + leaf.serial()
                            + ",source=tls " + leaf.notAfter().getEpochSecond() + ".0",
                    "ssl_cert_not_after cn=R3,issuer_cn=Public CA," + ok + ",serial_no=" + intermediate.serial()
                            + ",source=tls " + intermediate.notAfter().getEpochSecond() + ".0",
                    "ssl_cert_not_before cn=www.example.org,issuer_cn=Public CA," + ok + ",serial_no=" + leaf.serial()
                            + ",source=tls " + leaf.notBefore().getEpochSecond() + ".0",
                    "ssl_cert_not_before cn=R3,issuer_cn=Public CA," + ok + ",serial_no=" + intermediate.serial()
                            + ",source=tls " + intermediate.notBefore().getEpochSecond() + ".0"));
            assertEquals(expected, lines, "gone and other groups' endpoints have no series");

            web.locations = new MemoryLocationRegistry(web.clock);
            assertFalse(web.get("/metrics", "Authorization", TestWeb.basic("bob")).body().contains("ssl_"),
                    "no endpoints: no probe gauges");
        }
    }
}
