package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.certwatch.agent.Agent;
import org.certwatch.agent.Simulator;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.certwatch.testing.TestBundles;
import org.junit.jupiter.api.Test;

/**
 * Two real distributions on one real PostgreSQL ({@link PostgresServer}): the fleet is theirs together. Started at
 * the same moment they make one {@code admin}; a group and a user made on one are there on the other (and a second
 * user of that name is refused there); agents enrolled through one and replicating to it are seen by the other
 * with their certificate and last replication. (The store is not shared yet, so an agent's certificate is known
 * to the server that issued it: the agents replicate to that one.)
 */
class FleetPostgresIT {
    private static final Duration WAIT = Duration.ofMinutes(4);
    /** Another server's change is applied within about a second; generous under load. */
    private static final Duration SEEN = Duration.ofSeconds(30);

    @Test
    void twoServersShareOneFleet() throws Exception {
        try (PostgresServer db = PostgresServer.start();
                CertwatchServer a = onDatabase(db.prepareServer("fleet-pg-a"));
                CertwatchServer b = onDatabase(db.prepareServer("fleet-pg-b"))) {
            a.start();
            b.start();
            for (CertwatchServer s : List.of(a, b)) {
                s.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
                CertwatchServer.placeAtomically(TestBundles.gogoBridge(), s.deploy().resolve("gogo-bridge.jar"));
            }
            String users = b.awaitGogo("certwatch:users", WAIT);
            assertEquals(1, users.lines().filter(l -> l.startsWith("admin ")).count(), users);

            a.awaitGogo("certwatch:groups", WAIT);
            assertTrue(a.gogo("certwatch:group-add All/Oslo").startsWith("created group"));
            assertTrue(a.gogo("certwatch:user-add olga All/Oslo CERTIFICATES_READ --password-file " + a.passwordFile("olga-password-1"))
                    .startsWith("created user"));
            CertwatchServer.await("olga on the other server", SEEN, () -> gogo(b, "certwatch:users").contains("olga "));
            assertTrue(gogo(b, "certwatch:groups").contains("All/Oslo"));
            // the document holds what directory.json would
            String directory = db.sql("SELECT convert_from(value, 'UTF8') FROM certwatch_document"
                    + " WHERE name = 'fleet' AND key = 'directory'");
            assertTrue(directory.contains("\"format\" : 1") && directory.contains("\"name\" : \"olga\""), directory);
            String twice = b.gogo("certwatch:user-add olga All CERTIFICATES_READ --password-file " + b.passwordFile("other-password-1"));
            assertTrue(twice.startsWith("refused") && twice.contains("exists already"), twice);

            // issue 18: a change on one server reaches olga's open session and token on the other
            String admin = "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin-password-1".getBytes());
            WebClient webA = new WebClient(Integer.parseInt(a.env("CERTWATCH_HTTPS_PORT")),
                    java.nio.file.Files.createDirectories(a.data().resolveSibling("web-a")));
            WebClient webB = new WebClient(Integer.parseInt(b.env("CERTWATCH_HTTPS_PORT")),
                    java.nio.file.Files.createDirectories(b.data().resolveSibling("web-b")));
            webB.awaitSignIn(admin, WAIT);
            String[] session = webB.login("olga", "olga-password-1");
            String bearer = "Bearer " + new com.fasterxml.jackson.databind.ObjectMapper().readTree(webB.send("POST",
                    "/api/v1/tokens", "{\"name\":\"script\"}", "Cookie", session[0], "X-CSRF-Token", session[1]).body())
                    .get("token").asText();
            assertEquals(200, webB.get("/api/v1/status", "Authorization", bearer).status());
            assertTrue(a.gogo("certwatch:user-password olga --password-file " + a.passwordFile("olga-password-2")).startsWith("password of olga set"));
            CertwatchServer.await("olga's session on the other server ends", SEEN,
                    () -> status(webB, "/api/v1/session", "Cookie", session[0]) == 401);
            assertEquals(200, webB.get("/api/v1/status", "Authorization", bearer).status(), "a token is not a password");
            assertEquals(200, webA.send("PUT", "/api/v1/users/olga", "{\"enabled\":false}", "Authorization", admin).status());
            CertwatchServer.await("olga's token on the other server stops", SEEN,
                    () -> status(webB, "/api/v1/status", "Authorization", bearer) == 401);
            String forced = webB.get("/api/v1/audit?action=logout&actor=olga", "Authorization", admin).body();
            assertEquals(1, forced.split("forced: the password was set", -1).length - 1, forced);

            a.awaitLog(l -> l.contains("agent endpoint listening"), WAIT);
            int port = Integer.parseInt(a.env("CERTWATCH_AGENT_PORT"));
            String token = a.gogo("certwatch:enrol-token All/Oslo 3");
            try (Simulator agents = new Simulator(a.data().resolveSibling("agents"), "127.0.0.1", port, 3, 3,
                    Clock.systemUTC())) {
                assertEquals(List.of(), agents.enrolAll(token));
                for (Agent.Outcome o : agents.round()) {
                    assertTrue(o.ok(), o.message());
                }
                CertwatchServer.await("the agents' computers on the other server", SEEN,
                        () -> gogo(b, "certwatch:computers").lines().filter(l -> l.contains("group=All/Oslo")
                                && !l.contains("last=null") && !l.contains("certificate=0 ")).count() == 3);
                assertEquals(gogo(a, "certwatch:computers"), gogo(b, "certwatch:computers"));
            }
        }
    }

    private static CertwatchServer onDatabase(CertwatchServer server) throws Exception {
        WebUsers.fastPasswords(server);
        return server.env("CERTWATCH_ADMIN_PASSWORD", "admin-password-1");
    }

    private static int status(WebClient web, String path, String... headers) {
        try {
            return web.get(path, headers).status();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

        private static String gogo(CertwatchServer server, String command) {
        try {
            return server.gogo(command);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
