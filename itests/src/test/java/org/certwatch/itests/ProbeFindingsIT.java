package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's pipeline for an endpoint's findings on the real server, fed by the test-only source (testing/testsource,
 * {@code testsource:endpoint}) through the real location registry: the API and the location page show the findings
 * in words, the handshake and the chain presented; {@code /metrics} has ssl_exporter's probe gauges (read by Python's
 * prometheus_client); net-snmp walks the location table's findings, TLS version and probe duration.
 */
class ProbeFindingsIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "admin";
    private static final String AUTH = "auth-" + Long.toHexString(System.nanoTime());
    private static final String PRIV = "priv-" + Long.toHexString(System.nanoTime());
    private static final String ADDRESS = "tls://127.0.0.1:8443#www.example.org";

    @Test
    void anEndpointsFindingsReachTheApiThePagesTheMetricsAndTheMib() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("probe-findings").env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV)) {
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://"), WAIT);
            server.awaitLog(line -> line.contains("SNMP agent listening"), WAIT);
            WebUsers.create(server);
            Path work = Files.createDirectories(server.data().getParent().resolve("probe-findings"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String alice = WebClient.basic("alice");
            web.awaitSignIn(alice, WAIT);

            // the chain an endpoint presents: a leaf and an intermediate that runs out in 9 days
            WebClient.run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "leaf.key", "-out", "leaf.pem", "-subj", "/CN=shop.example", "-days", "90");
            WebClient.run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", "r3.key", "-out", "r3.pem", "-subj", "/CN=R3", "-days", "9");
            Files.writeString(work.resolve("chain.pem"), Files.readString(work.resolve("leaf.pem"))
                    + Files.readString(work.resolve("r3.pem")));
            Files.writeString(work.resolve("findings.txt"), String.join("\n",
                    "probe TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 42 127.0.0.1:8443",
                    "HOST_MISMATCH 0 CN=shop.example does not name www.example.org",
                    "CHAIN_CERTIFICATE_EXPIRING 1 intermediate CN=R3 expires in 8 days", ""));
            CertwatchServer.placeAtomically(TestBundles.testSource(), server.deploy().resolve("testsource.jar"));
            assertEquals("none", server.awaitGogo("testsource:location " + ADDRESS + " All/Berlin", WAIT));
            String reported = server.gogo("testsource:endpoint " + ADDRESS + " All/Berlin " + work.resolve("chain.pem")
                    + " " + work.resolve("findings.txt"));
            assertTrue(reported.startsWith("location "), reported);
            long id = Long.parseLong(reported.split(" ")[1]);

            JsonNode detail = JSON.readTree(web.get("/api/v1/locations/" + id, "Authorization", alice).body());
            JsonNode location = detail.get("location");
            assertEquals("ENDPOINT", location.get("kind").asText(), detail.toString());
            assertEquals(2, location.get("findings").size(), detail.toString());
            assertEquals("HOST_MISMATCH", location.get("findings").get(0).get("kind").asText());
            assertEquals("TLSv1.2", location.get("probe").get("protocol").asText());
            assertEquals(1, detail.get("chain").size(), detail.toString());

            String[] session = web.login("alice");
            String page = web.get("/locations/" + id, "Cookie", session[0]).body();
            assertTrue(page.contains("<strong>host mismatch</strong>: CN=shop.example does not name www.example.org"),
                    page);
            assertTrue(page.contains("TLSv1.2 · TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 · 42 ms"), page);
            assertTrue(page.contains("CN=R3") && page.contains("intermediate CN=R3 expires in 8 days"), page);
            assertTrue(web.get("/locations", "Cookie", session[0]).body().contains("does not name www.example.org"));

            Path text = Files.write(work.resolve("metrics.txt"), web.get("/metrics", "Authorization", alice).bytes());
            String parsed = WebClient.run(work, "/usr/bin/python3", "-c", String.join("\n",
                    "import sys",
                    "from prometheus_client.parser import text_string_to_metric_families",
                    "for f in text_string_to_metric_families(open(sys.argv[1]).read()):",
                    "    for s in f.samples:",
                    "        if s.name.startswith('ssl_'):",
                    "            print(s.name, s.labels.get('location'), s.labels.get('cn', '-'),"
                            + " s.labels.get('version', '-'), repr(s.value))"),
                    text.toString());
            assertTrue(parsed.contains("ssl_probe_success " + ADDRESS + " - - 1.0"), parsed);
            assertTrue(parsed.contains("ssl_tls_version_info " + ADDRESS + " - TLSv1.2 1.0"), parsed);
            assertTrue(parsed.contains("ssl_probe_duration_seconds " + ADDRESS + " - - 0.042"), parsed);
            assertTrue(parsed.contains("ssl_cert_not_after " + ADDRESS + " shop.example - "), parsed);
            assertTrue(parsed.contains("ssl_cert_not_after " + ADDRESS + " R3 - "), parsed);
            assertFalse(web.get("/metrics", "Authorization", WebClient.basic("bob")).body().contains("ssl_probe"),
                    "bob (Hamburg) does not see Berlin's endpoint");

            String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
            NetSnmp.Result walk = NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, "-Cr50",
                    "CERTWATCH-MIB::cwLocationTable");
            assertEquals(0, walk.exit(), walk.output());
            String w = walk.output();
            assertTrue(w.contains("cwLocationKind." + id + " = INTEGER: endpoint(2)"), w);
            assertTrue(w.contains("cwLocationFindings." + id + " = Gauge32: 2"), w);
            assertTrue(w.contains("cwLocationFindingsText." + id + " = STRING: CN=shop.example does not name"
                    + " www.example.org; intermediate CN=R3 expires in 8 days"), w);
            assertTrue(w.contains("cwLocationTlsVersion." + id + " = STRING: TLSv1.2"), w);
            assertTrue(w.contains("cwLocationProbeDuration." + id + " = Gauge32: 42 milliseconds"), w);
        }
    }
}
