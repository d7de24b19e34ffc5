package org.certwatch.persistence.postgresql.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.testing.PersistenceContract;
import org.certwatch.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The PostgreSQL backend against a real PostgreSQL (the shared fixture): the contract, the schema, the lease. */
class PostgresPersistenceContractTest extends PersistenceContract {
    private static final Duration LEASE = Duration.ofMillis(2_000);
    private static PostgresServer database;
    private final Map<String, PostgresBackend> servers = new LinkedHashMap<>();

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

    @AfterEach
    void closeServers() {
        servers.values().forEach(PostgresBackend::close);
    }

    static BackendSettings settings() throws Exception {
        return new BackendSettings(database.jdbcUrl(), PostgresServer.USER, database.password(), 4,
                Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofSeconds(3), Duration.ofSeconds(10), LEASE,
                Duration.ofMillis(500), Duration.ofMillis(1_000));
    }

    private PostgresBackend backend(String id) throws Exception {
        PostgresBackend backend = servers.get(id);
        if (backend == null) {
            backend = PostgresBackend.open(settings(), id);
            servers.put(id, backend);
        }
        return backend;
    }

    @Override
    protected Persistence server(String id) throws Exception {
        return backend(id).persistence();
    }

    @Override
    protected void cutOff() throws Exception {
        database.halt();
    }

    @Override
    protected void restore() throws Exception {
        database.restart();
    }

    @Override
    protected Optional<Leadership> leadership(String id) throws Exception {
        return Optional.of(backend(id).leadership());
    }

    @Override
    protected void stopRenewing(String id) throws Exception {
        backend(id).leadership().abandon();
    }

    @Override
    protected Duration leaseAndRenewal() {
        return LEASE;
    }

    @Test
    void serversStartingAtOnceMigrateOnceAndANewerSchemaIsRefused() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            List<Future<PostgresBackend>> starts = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String id = "starter" + i;
                starts.add(threads.submit((Callable<PostgresBackend>) () -> PostgresBackend.open(settings(), id)));
            }
            for (int i = 0; i < starts.size(); i++) {
                servers.put("starter" + i, starts.get(i).get(60, TimeUnit.SECONDS));
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(Integer.toString(SchemaMigrations.codeVersion()),
                database.sql("SELECT count(*) FROM certwatch_schema_version").strip(), "one row per version");
        int newer = SchemaMigrations.codeVersion() + 1;
        database.sql("INSERT INTO certwatch_schema_version (version, description) VALUES (" + newer + ", 'from the future')");
        try {
            SchemaMigrations.SchemaTooNewException refused = assertThrows(SchemaMigrations.SchemaTooNewException.class,
                    () -> PostgresBackend.open(settings(), "old release"));
            assertTrue(refused.getMessage().contains("schema is version " + newer + ", newer than this release's "
                    + SchemaMigrations.codeVersion()), refused.getMessage());
        } finally {
            database.sql("DELETE FROM certwatch_schema_version WHERE version = " + newer);
        }
    }

    @Test
    void aWrongPasswordIsUnavailableStorageNamingTheDatabase() throws Exception {
        BackendSettings good = settings();
        BackendSettings wrong = new BackendSettings(good.url(), good.user(), "wrong", good.poolSize(),
                good.connectTimeout(), good.socketTimeout(), good.statementTimeout(), good.lockTimeout(), good.lease(),
                good.renewal(), good.poll());
        StorageUnavailableException refused = assertThrows(StorageUnavailableException.class,
                () -> PostgresBackend.open(wrong, "intruder"));
        assertTrue(refused.getMessage().startsWith("PostgreSQL " + database.jdbcUrl() + ": cannot check and migrate"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("wrong"), "never the password: " + refused.getMessage());
    }
}
