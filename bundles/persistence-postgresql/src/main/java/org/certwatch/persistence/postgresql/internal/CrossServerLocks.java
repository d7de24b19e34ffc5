package org.certwatch.persistence.postgresql.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.certwatch.api.persistence.StorageUnavailableException;

/**
 * {@link org.certwatch.api.persistence.Persistence#exclusively}: a session-level advisory lock
 * ({@code pg_advisory_lock(space, hashtext(name))}) on a pooled connection held for the work, so no other server
 * (and no other thread here) runs work under the same name meanwhile; if the connection breaks, the database
 * releases the lock with the session. Reentrant per thread. The wait is cut into statements shorter than the
 * socket timeout, up to the lock timeout.
 *
 * <p>Threads of this server queue for a name on a fair lock of their own first, and only the first in line takes a
 * connection to wait on the database: without it every waiter held a pooled connection while it waited, so enough
 * waiters for one name (agents replicating under the fleet's lock) emptied the pool, and the holder's own work
 * could not get the connection it needed to finish — everyone waited out the lock timeout.
 */
final class CrossServerLocks {
    /** Beside {@link SchemaMigrations#LOCK_SPACE}: the key space of the named locks. */
    private static final int NAMED_LOCKS = SchemaMigrations.LOCK_SPACE + 1;
    private static final String QUERY_CANCELED = "57014";

    private final Database database;
    /** The names this thread holds (each thread its own set). */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);
    /** One queue per name someone holds or waits for, removed when the last one leaves. */
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();

    /** A fair lock and how many threads hold or wait for it (changed only inside the map's compute). */
    private static final class Queue {
        final ReentrantLock lock = new ReentrantLock(true);
        int users;
    }

    CrossServerLocks(Database database) {
        this.database = database;
    }

    <T> T exclusively(String name, Callable<T> work) throws Exception {
        Set<String> mine = held.get();
        if (mine.contains(name)) {
            return work.call();
        }
        BackendSettings settings = database.settings();
        long deadline = System.nanoTime() + settings.lockTimeout().toNanos();
        Queue queue = queues.compute(name, (n, q) -> {
            Queue joined = q == null ? new Queue() : q;
            joined.users++;
            return joined;
        });
        try {
            if (!queue.lock.tryLock(settings.lockTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                throw new StorageUnavailableException("PostgreSQL " + settings.where() + ": the cross-server lock "
                        + name + " was not free within " + settings.lockTimeout().toSeconds() + " s", null);
            }
            try {
                return onDatabase(name, deadline, work, mine);
            } finally {
                queue.lock.unlock();
            }
        } finally {
            queues.compute(name, (n, q) -> --q.users == 0 ? null : q);
        }
    }

    private <T> T onDatabase(String name, long deadline, Callable<T> work, Set<String> mine) throws Exception {
        Connection connection = database.connection("take the lock " + name);
        try {
            acquire(connection, name, deadline);
            mine.add(name);
            try {
                return work.call();
            } finally {
                mine.remove(name);
                release(connection, name);
            }
        } finally {
            close(connection);
        }
    }

    private void acquire(Connection connection, String name, long deadline) {
        BackendSettings settings = database.settings();
        try {
            while (true) {
                long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                try (PreparedStatement limit = connection.prepareStatement("SELECT set_config('statement_timeout', ?, false)");
                        PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
                    limit.setString(1, Long.toString(Math.min(left, settings.statementTimeout().toMillis())));
                    limit.execute();
                    lock.setInt(1, NAMED_LOCKS);
                    lock.setString(2, name);
                    lock.execute();
                    connection.commit();
                    resetTimeout(connection);
                    return;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!QUERY_CANCELED.equals(e.getSQLState())) {
                        throw e;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        resetTimeout(connection);
                        throw new StorageUnavailableException("PostgreSQL " + settings.where() + ": the cross-server lock "
                                + name + " was not free within " + settings.lockTimeout().toSeconds() + " s", e);
                    }
                }
            }
        } catch (SQLException e) {
            database.evict(connection);
            throw database.unavailable("take the lock " + name, e);
        }
    }

    private static void resetTimeout(Connection connection) throws SQLException {
        try (PreparedStatement reset = connection.prepareStatement("RESET statement_timeout")) {
            reset.execute();
            connection.commit();
        }
    }

    private void release(Connection connection, String name) {
        try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(?))")) {
            unlock.setInt(1, NAMED_LOCKS);
            unlock.setString(2, name);
            unlock.execute();
            connection.commit();
        } catch (SQLException e) {
            // closing the session is what releases the lock now
            database.evict(connection);
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // evicted or broken
        }
    }
}
