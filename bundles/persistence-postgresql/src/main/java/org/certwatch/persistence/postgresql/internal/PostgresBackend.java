package org.certwatch.persistence.postgresql.internal;

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
     * database cannot be reached and {@link SchemaMigrations.SchemaTooNewException} for a newer schema.
     */
    static PostgresBackend open(BackendSettings settings, String serverId) {
        Database database = new Database(settings, serverId);
        try {
            SchemaMigrations.migrate(database);
            return new PostgresBackend(database, serverId);
        } catch (RuntimeException e) {
            database.close();
            throw e;
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
