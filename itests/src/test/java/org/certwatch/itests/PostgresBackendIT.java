package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.certwatch.agent.Agent;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: the distribution started with {@code etc/org.certwatch.persistence.postgresql.cfg} naming a real
 * PostgreSQL (the shared fixture) chooses the PostgreSQL backend, deploys its feature, migrates the schema and
 * reports the capability ready; a schema newer than the release is named in the ready line with why; a database
 * down at start is named at once as what the server waits for, and the server becomes ready when it comes.
 */
class PostgresBackendIT {
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:backend-admin-password".getBytes(StandardCharsets.UTF_8));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static PostgresServer database;

    /** Whichever test starts first makes the admin on the empty database: each with the same password. */
    private static CertwatchServer server(String name) throws IOException {
        return database.prepareServer(name).env("CERTWATCH_ADMIN_PASSWORD", "backend-admin-password");
    }

    @BeforeAll
    static void startDatabase() throws Exception {
        database = PostgresServer.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }


    @Test
    void aServerConfiguredForPostgresqlMigratesTheSchemaAndServes() throws Exception {
        try (CertwatchServer server = server("postgresql")) {
            CertwatchServer.placeAtomically(TestBundles.gogoBridge(), server.deploy().resolve("gogo-bridge.jar"));
            server.start();
            server.awaitLog(l -> l.contains("backend postgresql ("), CertwatchServer.START_TIMEOUT);
            String ready = server.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            assertTrue(ready.contains("certwatch ready: features ") && ready.contains("postgresql"), ready);
            assertTrue(server.logContains(l -> l.contains("PostgreSQL backend serving: " + database.jdbcUrl())));
            assertEquals("1", database.sql("SELECT max(version) FROM certwatch_schema_version").strip());
            Path serverId = server.data().resolve("server-id");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(serverId)));
            String id = Files.readString(serverId).strip();
            CertwatchServer.await("the server takes the leader lease", CertwatchServer.START_TIMEOUT, () -> {
                try {
                    return database.sql("SELECT holder FROM certwatch_lease WHERE expires_at > now()").strip().equals(id);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });

            // issue 21, item 1: while the database is down a write is a clear 503 and nothing changes; reads answer
            Path work = Files.createDirectories(server.data().getParent().resolve("backend-web"));
            WebClient api = new WebClient(Integer.parseInt(server.env("CERTWATCH_HTTPS_PORT")), work);
            api.awaitSignIn(ADMIN, WAIT);
            String cas = api.get("/api/v1/cas", "Authorization", ADMIN).body();
            long ca = JSON.readTree(cas).get("items").get(0).get("id").asLong();
            String issue = "{\"caId\":" + ca + ",\"role\":\"AGENT\",\"host\":\"pc-down.example.org\"}";
            server.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            Agent agent = new Agent(work.resolve("agent"), "127.0.0.1", Integer.parseInt(server.env("CERTWATCH_AGENT_PORT")),
                    "pc-agent", Clock.systemUTC());
            agent.enrol(server.gogo("certwatch:enrol-token All 1"));
            assertTrue(agent.replicate().ok());
            database.halt();
            try {
                WebClient.Reply refused = api.send("POST", "/api/v1/certificates", issue, "Authorization", ADMIN);
                assertEquals(503, refused.status(), refused.body());
                assertEquals("application/problem+json", refused.header("content-type"));
                JsonNode problem = JSON.readTree(refused.body());
                assertEquals("urn:certwatch:problem:storage-unavailable", problem.get("type").asText(), refused.body());
                assertTrue(problem.get("title").asText().startsWith("storage unavailable, nothing was changed; try again"
                        + " later: PostgreSQL " + database.jdbcUrl()), refused.body());
                assertEquals("5", refused.header("retry-after"));
                assertTrue(server.logContains(l -> l.contains("POST /api/v1/certificates refused: storage unavailable")));
                WebClient.Reply read = api.get("/api/v1/cas", "Authorization", ADMIN);
                assertEquals(200, read.status(), read.body());
                assertEquals(cas, read.body(), "reads answer from what the server holds");
                // the agent endpoint: 503, the agent tries again later; the console: one line
                Agent.Outcome replicated = agent.replicate();
                assertEquals(503, replicated.status(), replicated.message());
                assertTrue(replicated.message().contains("storage unavailable, nothing was changed; try again later:"
                        + " PostgreSQL"), replicated.message());
                String console = server.gogo("certwatch:enrol-token All 1");
                assertTrue(console.startsWith("storage unavailable, nothing was changed; try again later: PostgreSQL")
                        && console.lines().count() == 1, console);
            } finally {
                database.restart();
            }
            WebClient.Reply[] issued = {null};
            CertwatchServer.await("a write once the database is back", WAIT, () -> {
                try {
                    issued[0] = api.send("POST", "/api/v1/certificates", issue, "Authorization", ADMIN);
                    return issued[0].status() != 503;
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(201, issued[0].status(), issued[0].body());
            assertTrue(agent.replicate().ok(), "the agent's next try is taken");
            // nothing of the refused write was kept: one certificate of that host, the one issued now
            String listed = api.get("/api/v1/certificates?role=AGENT&limit=1000", "Authorization", ADMIN).body();
            assertEquals(1, listed.split("\"host\":\"pc-down.example.org\"", -1).length - 1, listed);
        }
    }

    @Test
    void aSchemaNewerThanTheReleaseIsNamedInTheReadyLine() throws Exception {
        // as the server's user, as a later release's server would have made it
        database.sql("SET ROLE " + PostgresServer.USER + "; CREATE TABLE IF NOT EXISTS certwatch_schema_version (version integer PRIMARY KEY,"
                + " description text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now());"
                + " INSERT INTO certwatch_schema_version (version, description) VALUES (99, 'from a later release')");
        try (CertwatchServer server = server("postgresql-newer")) {
            server.start();
            String ready = server.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            // what needs the database waits for it and is named too; the database names the reason
            assertTrue(ready.contains("certwatch ready, except ") && ready.contains("postgresql (the database schema is"
                    + " version 99, newer than this release's 1"), ready);
            // at once: what waits for it is named as waiting, not as silent after the reporter's patience
            assertTrue(ready.contains("store (waiting for ") && !ready.contains("not serving after"), ready);
            assertTrue(server.logContains(l -> l.contains("PostgreSQL backend not serving yet")));
        } finally {
            database.sql("DELETE FROM certwatch_schema_version WHERE version = 99");
        }
    }

    @Test
    void aDatabaseDownAtStartIsNamedAtOnceAndTheServerBecomesReadyWhenItComes() throws Exception {
        database.halt();
        try (CertwatchServer server = server("postgresql-down")) {
            long started = System.nanoTime();
            try {
                server.start();
                String ready = server.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
                System.out.printf("database down: the ready line after %d ms: %s%n",
                        (System.nanoTime() - started) / 1_000_000, ready);
                assertTrue(ready.contains("certwatch ready, except ") && ready.contains("postgresql (waiting for the database,"
                        + " retrying every 3 s: PostgreSQL " + database.jdbcUrl() + ": cannot "), ready);
                assertTrue(ready.contains("Connection refused") || ready.contains("refused"), "why: " + ready);
                // what needs it is named as waiting, the services it waits for named: at once, not after 120 s
                assertTrue(ready.contains("store (waiting for ") && ready.contains("web (waiting for ")
                        && ready.contains("agent endpoint (waiting for ") && !ready.contains("not serving after"), ready);
            } finally {
                database.restart();
            }
            long back = System.nanoTime();
            String ready = server.awaitLog(l -> l.contains("certwatch ready: features "), CertwatchServer.START_TIMEOUT);
            System.out.printf("database back: ready after %d ms%n", (System.nanoTime() - back) / 1_000_000);
            // the plain line: every capability serves now, the web's HTTPS port and the agent endpoint included
            assertTrue(server.logContains(l -> l.contains("PostgreSQL backend serving: " + database.jdbcUrl())), ready);
        }
    }
}
