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
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.Persistence;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.testing.CertwatchServer;
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
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(10), LEASE,
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
    void aDatabaseAMigrateDidNotFinishIsRefusedUntilTheMarkIsGone() throws Exception {
        backend("before"); // the schema in place
        database.sql("INSERT INTO certwatch_document (name, key, version, revision, value) VALUES ('certwatch.migrate',"
                + " 'in-progress', 1, 1, convert_to('from pid 4242', 'UTF8'))");
        try {
            PostgresBackend.UnfinishedMigrateException refused = assertThrows(
                    PostgresBackend.UnfinishedMigrateException.class, () -> PostgresBackend.open(settings(), "half"));
            assertTrue(refused.getMessage().startsWith("PostgreSQL " + database.jdbcUrl() + " holds an unfinished"
                    + " certwatch migrate (document certwatch.migrate/in-progress, from pid 4242): run it again"),
                    refused.getMessage());
        } finally {
            database.sql("DELETE FROM certwatch_document WHERE name = 'certwatch.migrate'");
        }
        backend("after");
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

    @Test
    void aLeaderCutOffFromTheDatabaseStopsCountingItselfLeaderBeforeItsLeaseCanExpire() throws Exception {
        LeaseKeeper lease = backend("alone").leadership();
        CertwatchServer.await("the only server leads", Duration.ofSeconds(30), lease::isLeader);
        List<Boolean> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (org.certwatch.api.persistence.Subscription listening = lease.onChange(told::add)) {
            database.halt();
            long cutOff = System.nanoTime();
            try {
                CertwatchServer.await("it stops leading", Duration.ofSeconds(30), () -> !lease.isLeader());
                long stoppedAfter = System.nanoTime() - cutOff;
                // its last renewal was sent before the cut; the database's expiry lies a whole lease after that
                assertTrue(stoppedAfter < LEASE.toNanos(), "still leader " + stoppedAfter / 1_000_000 + " ms after the cut");
                CertwatchServer.await("the listeners hear of it", Duration.ofSeconds(10), () -> told.contains(false));
            } finally {
                database.restart();
            }
            CertwatchServer.await("it leads again once the database is back", Duration.ofSeconds(60), lease::isLeader);
            CertwatchServer.await("the listeners hear of it", Duration.ofSeconds(10), () -> told.contains(true));
        }
    }
    @Test
    void manyWaitersForOneLockLeaveTheHolderAConnectionToFinish() throws Exception {
        Persistence persistence = server("crowded");
        int waiters = 3 * settings().poolSize();
        ExecutorService threads = Executors.newFixedThreadPool(waiters);
        java.util.concurrent.CountDownLatch holding = new java.util.concurrent.CountDownLatch(1);
        try {
            List<Future<Long>> done = new ArrayList<>();
            Set<Thread> lined = ConcurrentHashMap.newKeySet();
            done.add(threads.submit(() -> persistence.exclusively("fleet", () -> {
                holding.countDown();
                // the others line up behind the lock (parked, not in a socket read holding a connection) before
                // the holder needs a connection
                CertwatchServer.await("the waiters line up", Duration.ofSeconds(30), () -> lined.size() == waiters - 1
                        && lined.stream().allMatch(t -> t.getState() != Thread.State.RUNNABLE));
                return persistence.journal("crowded").append(List.of(new byte[] {1}));
            })));
            holding.await(30, TimeUnit.SECONDS);
            for (int i = 1; i < waiters; i++) {
                done.add(threads.submit(() -> {
                    lined.add(Thread.currentThread());
                    return persistence.exclusively("fleet",
                            () -> persistence.journal("crowded").append(List.of(new byte[] {2})));
                }));
            }
            for (Future<Long> f : done) {
                f.get(60, TimeUnit.SECONDS); // before: the waiters held the whole pool, the holder timed out
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(Integer.toString(waiters),
                database.sql("SELECT count(*) FROM certwatch_journal WHERE name = 'crowded'").strip());
    }
}
