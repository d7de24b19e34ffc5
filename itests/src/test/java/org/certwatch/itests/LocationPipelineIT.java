package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * A failing location through the whole pipeline of the real distribution: the test source (testing/testsource)
 * reports a location to the real registry, then failed checks; the LOCATIONS notification's notice reaches
 * snmptrapd once as cwLocationFailing (not once per check) and once as cwLocationRecovered; net-snmp walks
 * cwLocationTable (default and group context); {@code /metrics} labels the certificate with its location and
 * counts the failing one in {@code x509_read_errors}.
 */
class LocationPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String USER = "admin";
    private static final String AUTH = "auth-" + Long.toHexString(System.nanoTime());
    private static final String PRIV = "priv-" + Long.toHexString(System.nanoTime());
    private static final Pattern LINE = Pattern.compile("location (\\d+) (\\w+) certificate (\\d+) failures (\\d+)");

    private static int count(String text, String part) {
        return text.split(Pattern.quote(part), -1).length - 1;
    }

    @Test
    void aFailingLocationIsNotifiedOncePerSpellAndShownInTheMibAndMetrics() throws Exception {
        int trapPort = CertwatchServer.freeUdpPort();
        try (CertwatchServer server = CertwatchServer.prepare("locations").env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV)) {
            Files.writeString(server.etc().resolve("org.certwatch.snmp.cfg"), "targets = 127.0.0.1:" + trapPort
                    + ",v2c,inform,public\ninformTimeoutMillis = 500\ninformRetries = 1\n");
            WebUsers.fastPasswords(server);
            server.startAndAwaitReady();
            server.awaitLog(line -> line.contains("web: listening on https://127.0.0.1:"), WAIT);
            server.awaitLog(line -> line.contains("SNMP agent listening"), WAIT);
            WebUsers.create(server);
            Path work = Files.createDirectories(server.data().getParent().resolve("locations-it"));
            WebClient web = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            String root = WebClient.basic("root");
            web.awaitSignIn(root, WAIT);

            WebClient.Reply created = web.send("POST", "/api/v1/notifications", "{\"name\":\"files failing\","
                    + "\"scope\":\"LOCATIONS\",\"thresholds\":[],\"snmp\":true,\"ownerGroup\":\"All/Berlin\"}",
                    "Authorization", root, "Content-Type", "application/json");
            assertEquals(201, created.status(), created.body());
            assertTrue(created.body().contains("\"thresholds\":[]"), created.body());

            Files.writeString(work.resolve("snmptrapd.conf"), "authCommunity log public\n");
            Path log = work.resolve("trapd.log");
            Process trapd = new ProcessBuilder("snmptrapd", "-f", "-Lo", "-n", "-C", "-c",
                    work.resolve("snmptrapd.conf").toString(), "-M", NetSnmp.mibPath(), "-m", "CERTWATCH-MIB:SNMPv2-MIB",
                    "-p", work.resolve("pid").toString(), "udp:127.0.0.1:" + trapPort)
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                WebClient.run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                        "-nodes", "-keyout", "site.key", "-out", "site.pem", "-subj", "/CN=site.example", "-days",
                        "200");
                CertwatchServer.placeAtomically(TestBundles.testSource(),
                        server.deploy().resolve("org.certwatch.testsource.jar"));
                assertEquals("none", server.awaitGogo("testsource:location /srv/site.pem All/Berlin", WAIT));
                Matcher ok = LINE.matcher(server.gogo("testsource:report /srv/site.pem All/Berlin "
                        + work.resolve("site.pem")));
                assertTrue(ok.find());
                String id = ok.group(1);
                String certificate = ok.group(3);
                for (int check = 1; check <= 5; check++) { // announced at the 3rd (failures.before.notice)
                    server.gogo("testsource:fail /srv/site.pem All/Berlin CORRUPT /srv/site.pem:not-a-certificate");
                }

                CertwatchServer.await("the failing location's inform arrived", WAIT,
                        () -> MonitorControl.readOrEmpty(log).contains("cwLocationFailing"));
                String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
                NetSnmp.Result walk = NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, "-Cr50",
                        "CERTWATCH-MIB::cwLocationTable");
                assertEquals(0, walk.exit(), walk.output());
                String w = walk.output();
                assertTrue(w.contains("cwLocationSource." + id + " = STRING: test"), w);
                assertTrue(w.contains("cwLocationKind." + id + " = INTEGER: file(1)"), w);
                assertTrue(w.contains("cwLocationAddress." + id + " = STRING: /srv/site.pem"), w);
                assertTrue(w.contains("cwLocationGroup." + id + " = STRING: All/Berlin"), w);
                assertTrue(w.contains("cwLocationState." + id + " = INTEGER: failing(2)"), w);
                assertTrue(w.contains("cwLocationFailure." + id + " = INTEGER: corrupt(4)"), w);
                assertTrue(w.contains("cwLocationFailureReason." + id + " = STRING: /srv/site.pem:not-a-certificate"), w);
                assertTrue(w.contains("cwLocationFailures." + id + " = Gauge32: 5"), w);
                assertTrue(w.contains("cwLocationCertIndex." + id + " = Gauge32: " + certificate)
                        || w.contains("cwLocationCertIndex." + id + " = " + certificate), w);
                assertTrue(w.contains("cwLocationLastCheck." + id + " = STRING: "), w);
                assertFalse(w.contains("0-0-0,"), "never a zero date: " + w);
                NetSnmp.Result berlin = NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, "-n",
                        "berlin", "CERTWATCH-MIB::cwLocationAddress");
                assertTrue(berlin.output().contains("cwLocationAddress." + id), berlin.output());
                NetSnmp.Result hamburg = NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, "-n",
                        "hamburg", "CERTWATCH-MIB::cwLocationAddress");
                assertFalse(hamburg.output().contains("cwLocationAddress." + id), hamburg.output());

                String metrics = web.get("/metrics", "Authorization", root).body();
                assertTrue(metrics.contains("\nx509_read_errors 1\n"), metrics);
                assertTrue(metrics.contains("id=\"" + certificate + "\",source=\"test\",location=\"/srv/site.pem\"}"),
                        metrics);

                server.gogo("testsource:report /srv/site.pem All/Berlin " + work.resolve("site.pem"));
                CertwatchServer.await("the recovery's inform arrived", WAIT,
                        () -> MonitorControl.readOrEmpty(log).contains("cwLocationRecovered"));
                String received = MonitorControl.readOrEmpty(log);
                assertEquals(1, count(received, "snmpTrapOID.0 = OID: CERTWATCH-MIB::cwLocationFailing"),
                        "one notice per failing spell, not per check: " + received);
                assertTrue(received.contains("CERTWATCH-MIB::cwLocationAddress." + id + " = STRING: /srv/site.pem"),
                        received);
                assertTrue(received.contains("cwNoticeId.0 = STRING: n1.loc" + id + ".failing1"), received);
                assertTrue(received.contains("cwNoticeId.0 = STRING: n1.loc" + id + ".recovered1"), received);
                assertTrue(received.contains("CERTWATCH-MIB::cwLocationState." + id + " = INTEGER: ok(1)"), received);
            } finally {
                trapd.destroy();
                trapd.waitFor();
            }
        }
    }
}
