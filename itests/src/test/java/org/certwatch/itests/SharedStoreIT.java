package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: two servers on one PostgreSQL (the shared fixture) share the certificate store. Started together on
 * the empty database they make one CA and one server certificate; a certificate issued through the API of one is
 * listed by the API of the other within a second and is a row of its CERTWATCH-MIB certificate table (snmpget).
 */
class SharedStoreIT {
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:shared-admin-password".getBytes(StandardCharsets.UTF_8));
    private static final String USER = "shared";
    private static final String AUTH = "shared-auth-secret";
    private static final String PRIV = "shared-priv-secret";

    private static CertwatchServer onDatabase(PostgresServer database, String name) throws Exception {
        return database.prepareServer(name)
                .env("CERTWATCH_ADMIN_PASSWORD", "shared-admin-password")
                .env("CERTWATCH_SNMP_USER", USER).env("CERTWATCH_SNMP_AUTH_PASSWORD", AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", PRIV);
    }

    @Test
    void aCertificateIssuedOnOneServerIsListedByTheOtherWithinASecondAndInItsMib() throws Exception {
        try (PostgresServer database = PostgresServer.start();
                CertwatchServer a = onDatabase(database, "shared-a");
                CertwatchServer b = onDatabase(database, "shared-b")) {
            a.start();
            b.start();
            for (CertwatchServer server : List.of(a, b)) {
                String ready = server.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
                assertTrue(server.logContains(l -> l.contains("backend postgresql")), ready);
            }
            Path work = Files.createDirectories(a.data().getParent().resolve("shared"));
            WebClient apiA = new WebClient(Integer.parseInt(a.env("CERTWATCH_HTTPS_PORT")), work);
            WebClient apiB = new WebClient(Integer.parseInt(b.env("CERTWATCH_HTTPS_PORT")), work);
            apiA.awaitSignIn(ADMIN, WAIT);
            apiB.awaitSignIn(ADMIN, WAIT);
            assertEquals(apiA.servedFingerprint, apiB.servedFingerprint, "one server certificate for both");
            JsonNode cas = JSON.readTree(apiB.get("/api/v1/cas", "Authorization", ADMIN).body()).get("items");
            assertEquals(1, cas.size(), "one CA, however many servers started on the empty database: " + cas);
            long ca = cas.get(0).get("id").asLong();

            WebClient.Reply issued = apiA.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                    + ",\"role\":\"AGENT\",\"host\":\"pc-shared.example.org\"}", "Authorization", ADMIN);
            long answered = System.nanoTime();
            assertEquals(201, issued.status(), issued.body());
            long id = JSON.readTree(issued.body()).get("id").asLong();
            CertwatchServer.await("B lists the certificate A issued", WAIT,
                    () -> apiB.getQuietly("/api/v1/certificates/" + id, ADMIN).contains("pc-shared.example.org"));
            long millis = (System.nanoTime() - answered) / 1_000_000;
            System.out.println("SharedStoreIT: listed by the other server " + millis + " ms after the issuing answer");
            assertTrue(millis <= 1000, "listed by the other server after " + millis + " ms");

            String agent = "udp:127.0.0.1:" + b.env("CERTWATCH_SNMP_PORT");
            String[] last = {""};
            try {
                CertwatchServer.await("B's MIB has the certificate's row", WAIT, () -> {
                    try {
                        last[0] = NetSnmp.get("snmpget", NetSnmp.v3(USER, AUTH, PRIV), agent,
                                "CERTWATCH-MIB::cwCertHost." + id).output();
                    } catch (Exception e) {
                        last[0] = e.toString();
                    }
                    return last[0].contains("pc-shared.example.org");
                });
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; snmpget said: " + last[0], e);
            }

            // issue 18: a group renamed on A — B serves the new path, for the group and what lies in it
            assertEquals(201, apiA.send("POST", "/api/v1/groups", "{\"path\":\"All/Oslo\"}", "Authorization", ADMIN,
                    "Content-Type", "application/json").status());
            WebClient.Reply oslo = apiA.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                    + ",\"role\":\"AGENT\",\"host\":\"pc-oslo.example.org\",\"homeGroup\":\"All/Oslo\"}", "Authorization", ADMIN);
            assertEquals(201, oslo.status(), oslo.body());
            long osloId = JSON.readTree(oslo.body()).get("id").asLong();
            WebClient.Reply renamed = apiA.send("PUT", "/api/v1/groups/oslo", "{\"name\":\"Bergen\"}", "Authorization", ADMIN,
                    "Content-Type", "application/json");
            long renamedAt = System.nanoTime();
            assertEquals(200, renamed.status(), renamed.body());
            CertwatchServer.await("B serves the renamed group", WAIT,
                    () -> apiB.getQuietly("/api/v1/groups/bergen", ADMIN).contains("All/Bergen"));
            long groupMillis = (System.nanoTime() - renamedAt) / 1_000_000;
            CertwatchServer.await("B lists the certificate in the renamed group", WAIT,
                    () -> apiB.getQuietly("/api/v1/certificates/" + osloId, ADMIN).contains("\"homeGroup\":\"All/Bergen\""));
            long certificateMillis = (System.nanoTime() - renamedAt) / 1_000_000;
            System.out.println("SharedStoreIT: the rename seen on the other server after " + groupMillis + " ms (group), "
                    + certificateMillis + " ms (its certificate)");
            assertTrue(groupMillis <= 1000, "the renamed group served by the other server after " + groupMillis + " ms");
            assertTrue(apiB.getQuietly("/api/v1/groups/oslo", ADMIN).contains("not found"));
        }
    }
}
