package org.certwatch.persistence.postgresql.internal;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.certwatch.commons.persistence.UnfinishedMigrate;

/**
 * One server's connection to the shared database, opened whole or not at all: the pool, the schema checked and
 * migrated, the change feed, {@link PostgresPersistence} and the lease. {@link #close()} stops its threads and
 * hands the lease back.
 */
final class PostgresBackend implements AutoCloseable {
    private final Database database;
    private final ChangeFeed feed;
    private final PostgresPersistence persistence;
    private final LeaseKeeper leadership;

    private PostgresBackend(Database database, String serverId) {
        this.database = database;
        this.feed = new ChangeFeed(database, database.settings().poll());
        this.persistence = new PostgresPersistence(database, feed, serverId);
        this.leadership = new LeaseKeeper(database, serverId);
    }

    /**
     * Connects and migrates; throws {@link org.certwatch.api.persistence.StorageUnavailableException} when the
     * database cannot be reached, {@link SchemaMigrations.SchemaTooNewException} for a newer schema and
     * {@link UnfinishedMigrateException} while the database holds the mark of a migrate not yet verified.
     */
    static PostgresBackend open(BackendSettings settings, String serverId) {
        Database database = new Database(settings, serverId);
        try {
            SchemaMigrations.migrate(database);
            String mark = unfinishedMigrate(database);
            if (mark != null) {
                throw new UnfinishedMigrateException(UnfinishedMigrate.databaseRefusal("PostgreSQL " + settings.where(),
                        mark));
            }
            return new PostgresBackend(database, serverId);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The text of {@code certwatch migrate}'s mark, null without one (a run that verified its copy removed it). */
    private static String unfinishedMigrate(Database database) {
        return database.transaction("look for an unfinished migrate", c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT value FROM certwatch_document WHERE name = ?"
                    + " AND key = ? AND value IS NOT NULL")) {
                s.setString(1, UnfinishedMigrate.DOCUMENTS);
                s.setString(2, UnfinishedMigrate.KEY);
                try (ResultSet r = s.executeQuery()) {
                    return r.next() ? new String(r.getBytes(1), StandardCharsets.UTF_8).strip() : null;
                }
            }
        });
    }

    /** The database is the target of a migrate cut short: a half copy no server may run on. */
    static final class UnfinishedMigrateException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnfinishedMigrateException(String message) {
            super(message);
        }
    }

    PostgresPersistence persistence() {
        return persistence;
    }

    LeaseKeeper leadership() {
        return leadership;
    }

    @Override
    public void close() {
        leadership.close();
        feed.close();
        database.close();
    }
}
