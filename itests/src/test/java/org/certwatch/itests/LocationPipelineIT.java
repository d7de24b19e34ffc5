package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.certwatch.testing.CertwatchServer;
import org.junit.jupiter.api.Test;

/**
 * Monitored certificates and locations through the pipeline of the real distribution, read with net-snmp and
 * HTTPS. This part holds whatever sources are deployed: a LOCATIONS notification needs no thresholds, and with
 * no location failing cwLocationTable has no failing row and {@code x509_read_errors} (when a registry runs) is 0.
 */
class LocationPipelineIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String USER = "admin";
    private static final String AUTH = "auth-" + Long.toHexString(System.nanoTime());
    private static final String PRIV = "priv-" + Long.toHexString(System.nanoTime());

    @Test
    void locationsNotificationsTheLocationTableAndMetricsAnswerOnTheRealServer() throws Exception {
        try (CertwatchServer server = CertwatchServer.prepare("locations").env("CERTWATCH_SNMP_USER", USER)
                .env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH).env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV)) {
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
                    + "\"scope\":\"LOCATIONS\",\"thresholds\":[],\"snmp\":true,\"ownerGroup\":\"All\"}",
                    "Authorization", root, "Content-Type", "application/json");
            assertEquals(201, created.status(), created.body());
            assertTrue(created.body().contains("\"scope\":\"LOCATIONS\"") && created.body().contains("\"thresholds\":[]"),
                    created.body());

            String agent = "udp:127.0.0.1:" + server.env("CERTWATCH_SNMP_PORT");
            NetSnmp.Result walk = NetSnmp.run("snmpbulkwalk", NetSnmp.v3(USER, AUTH, PRIV), agent, "-Cr50",
                    "CERTWATCH-MIB::cwLocationTable");
            assertEquals(0, walk.exit(), walk.output());
            assertFalse(walk.output().contains("failing(2)"), walk.output());
            assertFalse(walk.output().contains("0-0-0,"), "never a zero date: " + walk.output());

            String metrics = web.get("/metrics", "Authorization", root).body();
            assertTrue(metrics.contains("x509_cert_not_after{"), metrics);
            assertFalse(metrics.contains("\nx509_read_errors ") && !metrics.contains("\nx509_read_errors 0\n"),
                    metrics);
        }
    }
}
