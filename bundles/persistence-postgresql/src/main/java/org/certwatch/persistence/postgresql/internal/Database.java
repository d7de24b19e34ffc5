package org.certwatch.persistence.postgresql.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The connections to the database: a Hikari pool over {@link PGSimpleDataSource} (no DriverManager), every
 * connection with the configured connect, socket and statement timeouts, so a database that is cut off is noticed
 * in seconds. Work runs in transactions; any SQL failure becomes a {@link StorageUnavailableException} naming what
 * could not be done, after a rollback.
 */
final class Database implements AutoCloseable {
    /** The channel of the change notifications ({@code pg_notify}). */
    static final String CHANNEL = "certwatch_changes";

    private final BackendSettings settings;
    private final PGSimpleDataSource source;
    private final HikariDataSource pool;

    Database(BackendSettings settings, String serverId) {
        this.settings = settings;
        this.source = new PGSimpleDataSource();
        source.setUrl(settings.url());
        source.setUser(settings.user());
        source.setPassword(settings.password());
        source.setConnectTimeout(seconds(settings.connectTimeout().toSeconds()));
        source.setLoginTimeout(seconds(settings.connectTimeout().toSeconds()));
        source.setSocketTimeout(seconds(settings.socketTimeout().toSeconds()));
        source.setTcpKeepAlive(true);
        source.setApplicationName("certwatch " + serverId);
        source.setOptions("-c statement_timeout=" + settings.statementTimeout().toMillis());
        HikariConfig config = new HikariConfig();
        config.setPoolName("certwatch-postgresql");
        config.setDataSource(source);
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setConnectionTimeout(settings.connectTimeout().toMillis());
        config.setValidationTimeout(Math.min(settings.connectTimeout().toMillis() - 1, 3_000));
        // the pool starts even while the database is down; every use then reports it
        config.setInitializationFailTimeout(-1);
        this.pool = new HikariDataSource(config);
    }

    BackendSettings settings() {
        return settings;
    }

    /** A connection outside the pool (autocommit), for the LISTEN session that lives as long as it can. */
    Connection dedicated() throws SQLException {
        Connection connection = source.getConnection();
        connection.setAutoCommit(true);
        return connection;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T transaction(String what, SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /** A pooled connection for work that spans several transactions (a session lock); the caller closes it. */
    Connection connection(String what) {
        try {
            return pool.getConnection();
        } catch (SQLException e) {
            throw unavailable(what, e);
        }
    }

    /** Closes a pooled connection for good, e.g. one whose session state could not be cleaned. */
    void evict(Connection connection) {
        pool.evictConnection(connection);
    }

    StorageUnavailableException unavailable(String what, SQLException e) {
        // the pool's "Connection is not available, request timed out" keeps why in its cause: "Connection refused"
        Throwable root = e;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 16; depth++) {
            root = root.getCause();
        }
        String why = root == e || root.getMessage() == null || e.getMessage().contains(root.getMessage())
                ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
        return new StorageUnavailableException("PostgreSQL " + settings.where() + ": cannot " + what + ": " + why, e);
    }

    /** Wakes the other servers' listeners at commit: {@code kind} j (journal) or d (documents) and the name. */
    static void notifyChange(Connection connection, char kind, String name) throws SQLException {
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, kind + ":" + name);
            notify.execute();
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; the database rolls the transaction back itself
        }
    }

    private static int seconds(long value) {
        return (int) Math.max(1, value);
    }

    @Override
    public void close() {
        pool.close();
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
