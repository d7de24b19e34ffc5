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

    private static final String SNMP_USER = "backend";
    private static final String SNMP_AUTH = "backend-auth-secret";
    private static final String SNMP_PRIV = "backend-priv-secret";

    /** Whichever test starts first makes the admin on the empty database: each with the same password. */
    private static CertwatchServer server(String name) throws IOException {
        return database.prepareServer(name).env("CERTWATCH_ADMIN_PASSWORD", "backend-admin-password")
                .env("CERTWATCH_SNMP_USER", SNMP_USER).env("CERTWATCH_SNMP_AUTH_PASSWORD", SNMP_AUTH)
                .env("CERTWATCH_SNMP_PRIV_PASSWORD", SNMP_PRIV);
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
            unpluggingTheBackendKeepsTheFrontDoorsOpen(server, api, agent, ca);
        }
    }

    /**
     * Issue 21, item 1: the backend's bundle removed from the deploy folder while the server runs (FileInstall
     * uninstalls it, and the store, the audit log and the fleet go with it). HTTPS, the agent endpoint and SNMP stay
     * up: writes and reads that need the store get 503 problem+json, the agent 503, SNMP the last snapshot; the
     * login page still answers. A second server writes meanwhile and takes the lease, which the first handed back
     * as its backend stopped; once the jar is back the first shows that write, takes writes again and has lost
     * nothing, and leads only if the lease comes to it.
     */
    private void unpluggingTheBackendKeepsTheFrontDoorsOpen(CertwatchServer a, WebClient api, Agent agent, long ca)
            throws Exception {
        long begun = System.nanoTime();
        String snmp = "udp:127.0.0.1:" + a.env("CERTWATCH_SNMP_PORT");
        String total = snmpGet(snmp, "CERTWATCH-MIB::cwCertTotalCount.0");
        String before = api.get("/api/v1/certificates?limit=1000", "Authorization", ADMIN).body();
        int count = JSON.readTree(before).get("items").size();
        try (CertwatchServer b = server("postgresql-other")) {
            b.start(); // its boot overlaps what follows
            Path jar;
            try (var files = Files.list(a.deploy())) {
                jar = files.filter(f -> f.getFileName().toString().contains("persistence.postgresql")).findFirst()
                        .orElseThrow(() -> new AssertionError("no PostgreSQL backend jar in " + a.deploy()));
            }
            Path aside = Files.move(jar, a.data().getParent().resolve("unplugged-" + jar.getFileName()));
            a.awaitLog(l -> l.contains("web: the certificate store is gone"), WAIT);
            // the store bundle registers a store that does not answer for a moment as its backend goes (its serving
            // components are disabled asynchronously): the front doors settle on 503 once that one is gone too
            CertwatchServer.await("the web and the agent endpoint answer 503", WAIT, () -> {
                try {
                    return api.get("/api/v1/cas", "Authorization", ADMIN).status() == 503 && agent.replicate().status() == 503;
                } catch (Exception e) {
                    return false;
                }
            });

            WebClient.Reply refused = api.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                    + ",\"role\":\"AGENT\",\"host\":\"pc-unplugged.example.org\"}", "Authorization", ADMIN);
            assertStorageUnavailable(refused);
            assertTrue(a.logContains(l -> l.contains("POST /api/v1/certificates refused: storage unavailable")));
            // documented (operations.md): reads need the store too and are answered the same way meanwhile
            assertStorageUnavailable(api.get("/api/v1/cas", "Authorization", ADMIN));
            WebClient.Reply login = api.get("/login");
            assertEquals(200, login.status(), "the login page answers: " + login.body());
            assertTrue(!login.body().contains("Exception"), login.body());
            Agent.Outcome replicated = agent.replicate();
            assertEquals(503, replicated.status(), replicated.message());
            assertTrue(replicated.message().contains("storage unavailable, nothing was changed; try again later:"),
                    replicated.message());
            // SNMP: the agent answers, the tables from the last snapshot (operations.md, the MIB's description)
            assertTrue(snmpGet(snmp, "SNMPv2-MIB::sysUpTime.0").contains("sysUpTime.0 = "));
            assertEquals(total, snmpGet(snmp, "CERTWATCH-MIB::cwCertTotalCount.0"));

            b.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            String idB = Files.readString(b.data().resolve("server-id")).strip();
            WebClient apiB = new WebClient(Integer.parseInt(b.env("CERTWATCH_HTTPS_PORT")),
                    Files.createDirectories(b.data().getParent().resolve("other-web")));
            apiB.awaitSignIn(ADMIN, WAIT);
            WebClient.Reply elsewhere = apiB.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                    + ",\"role\":\"AGENT\",\"host\":\"pc-elsewhere.example.org\"}", "Authorization", ADMIN);
            assertEquals(201, elsewhere.status(), elsewhere.body());
            awaitLeader(idB); // A's backend handed the lease back as it stopped

            CertwatchServer.placeAtomically(aside, jar);
            WebClient.Reply[] after = {null};
            CertwatchServer.await("A reads the database again", WAIT, () -> {
                try {
                    after[0] = api.get("/api/v1/certificates?limit=1000", "Authorization", ADMIN);
                    return after[0].status() == 200;
                } catch (Exception e) {
                    return false;
                }
            });
            assertTrue(after[0].body().contains("\"host\":\"pc-elsewhere.example.org\""), "B's write, on A: " + after[0].body());
            assertEquals(count + 1, JSON.readTree(after[0].body()).get("items").size(), "nothing lost, nothing half-done");
            assertTrue(!after[0].body().contains("pc-unplugged.example.org"), after[0].body());
            WebClient.Reply again = api.send("POST", "/api/v1/certificates", "{\"caId\":" + ca
                    + ",\"role\":\"AGENT\",\"host\":\"pc-replugged.example.org\"}", "Authorization", ADMIN);
            assertEquals(201, again.status(), again.body());
            CertwatchServer.await("the agent is taken again", WAIT, () -> agent.replicate().ok());
            // two more in use than before the unplug: B's and A's new ones, none of the refused
            String seen = "cwCertTotalCount.0 = Gauge32: " + (Long.parseLong(total.substring(total.lastIndexOf(' ') + 1)) + 2);
            CertwatchServer.await("SNMP counts what was written", WAIT, () -> {
                try {
                    return snmpGet(snmp, "CERTWATCH-MIB::cwCertTotalCount.0").contains(seen);
                } catch (Exception e) {
                    return false;
                }
            });
            assertEquals(idB, leader(), "A does not take the lead back while B holds the lease");
        }
        System.out.printf("unplugging the backend: %d ms%n", (System.nanoTime() - begun) / 1_000_000);
    }

    private static void assertStorageUnavailable(WebClient.Reply reply) throws IOException {
        assertEquals(503, reply.status(), reply.body());
        assertEquals("application/problem+json", reply.header("content-type"));
        assertEquals("urn:certwatch:problem:storage-unavailable", JSON.readTree(reply.body()).get("type").asText());
        assertEquals("5", reply.header("retry-after"));
        assertTrue(!reply.body().contains("Exception"), reply.body());
    }

    private static String snmpGet(String agent, String oid) throws Exception {
        NetSnmp.Result r = NetSnmp.get("snmpget", NetSnmp.v3(SNMP_USER, SNMP_AUTH, SNMP_PRIV), agent, oid);
        assertEquals(0, r.exit(), r.output());
        return r.output().strip();
    }

    private static String leader() throws Exception {
        return database.sql("SELECT holder FROM certwatch_lease WHERE expires_at > now()").strip();
    }

    private static void awaitLeader(String id) {
        CertwatchServer.await("server " + id + " leads", WAIT, () -> {
            try {
                return leader().equals(id);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
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
