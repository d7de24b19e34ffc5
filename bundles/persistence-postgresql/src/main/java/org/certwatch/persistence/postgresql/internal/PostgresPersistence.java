package org.certwatch.persistence.postgresql.internal;

import java.util.concurrent.Callable;
import org.certwatch.api.persistence.Documents;
import org.certwatch.api.persistence.Journal;
import org.certwatch.api.persistence.Persistence;

/** {@link Persistence} over one database: journals, documents and cross-server locks by name. */
final class PostgresPersistence implements Persistence {
    static final String BACKEND = "postgresql";

    private final Database database;
    private final ChangeFeed feed;
    private final CrossServerLocks locks;
    private final String serverId;

    PostgresPersistence(Database database, ChangeFeed feed, String serverId) {
        this.database = database;
        this.feed = feed;
        this.locks = new CrossServerLocks(database);
        this.serverId = serverId;
    }

    @Override
    public String backend() {
        return BACKEND;
    }

    @Override
    public String serverId() {
        return serverId;
    }

    @Override
    public Journal journal(String name) {
        return new PostgresJournal(database, feed, name);
    }

    @Override
    public Documents documents(String name) {
        return new PostgresDocuments(database, feed, name);
    }

    @Override
    public <T> T exclusively(String lockName, Callable<T> work) throws Exception {
        return locks.exclusively(lockName, work);
    }
}
