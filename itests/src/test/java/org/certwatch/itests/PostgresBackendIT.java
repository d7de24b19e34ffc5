package org.certwatch.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.certwatch.testing.CertwatchServer;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 21: the distribution started with {@code etc/org.certwatch.persistence.postgresql.cfg} naming a real
 * PostgreSQL (the shared fixture) chooses the PostgreSQL backend, deploys its feature, migrates the schema and
 * reports the capability ready; a schema newer than the release is named in the ready line with why.
 */
class PostgresBackendIT {
    private static PostgresServer database;

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
        try (CertwatchServer server = database.prepareServer("postgresql")) {
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
        }
    }

    @Test
    void aSchemaNewerThanTheReleaseIsNamedInTheReadyLine() throws Exception {
        // as the server's user, as a later release's server would have made it
        database.sql("SET ROLE " + PostgresServer.USER + "; CREATE TABLE IF NOT EXISTS certwatch_schema_version (version integer PRIMARY KEY,"
                + " description text NOT NULL, installed_at timestamptz NOT NULL DEFAULT now());"
                + " INSERT INTO certwatch_schema_version (version, description) VALUES (99, 'from a later release')");
        try (CertwatchServer server = database.prepareServer("postgresql-newer")) {
            server.start();
            String ready = server.awaitLog(l -> l.contains("certwatch ready"), CertwatchServer.START_TIMEOUT);
            // what needs the database waits for it and is named too; the database names the reason
            assertTrue(ready.contains("certwatch ready, except ") && ready.contains("postgresql (the database schema is"
                    + " version 99, newer than this release's 1"), ready);
            assertTrue(server.logContains(l -> l.contains("PostgreSQL backend not serving yet")));
        } finally {
            database.sql("DELETE FROM certwatch_schema_version WHERE version = 99");
        }
    }
}
