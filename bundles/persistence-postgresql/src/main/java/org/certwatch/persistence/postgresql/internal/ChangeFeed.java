package org.certwatch.persistence.postgresql.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Subscription;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Calls the follow and watch subscriptions of this server when something may have changed: at once when the
 * database notifies a commit ({@code LISTEN} on one connection of its own), and every poll interval whatever
 * came, so a lost notification or a reconnect loses no change (each subscription re-reads from where it was).
 * Everything runs on the one thread this feed owns, stopped by {@link #close()}.
 */
final class ChangeFeed implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.persistence.postgresql");

    private final Database database;
    private final Duration poll;
    private final List<Poller> pollers = new CopyOnWriteArrayList<>();
    private final ExecutorService thread;
    private volatile boolean running = true;
    private Connection listening;
    private String lastProblem;

    ChangeFeed(Database database, Duration poll) {
        this.database = database;
        this.poll = poll;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "certwatch-postgresql-changes");
            t.setDaemon(true);
            return t;
        });
        thread.execute(this::run);
    }

    /** Catching up one subscription; called on the feed's thread. */
    interface Catchup {
        void catchUp() throws Exception;
    }

    /** Adds a subscription whose changes are announced as {@code key} ("j:name", "d:name"); it runs within a poll interval. */
    Subscription subscribe(String key, Catchup catchup) {
        Poller poller = new Poller(key, catchup);
        pollers.add(poller);
        return poller;
    }

    private void run() {
        long lastFull = System.nanoTime();
        while (running) {
            Set<String> woken = await();
            boolean full = woken == null || System.nanoTime() - lastFull >= poll.toNanos();
            if (full) {
                lastFull = System.nanoTime();
            }
            for (Poller poller : pollers) {
                if (full || poller.fresh || woken.contains(poller.key)) {
                    poller.run();
                }
            }
        }
    }

    /** The keys notified within one poll interval; null when every subscription should re-read. */
    private Set<String> await() {
        try {
            if (listening == null) {
                listening = database.dedicated();
                try (Statement listen = listening.createStatement()) {
                    listen.execute("LISTEN " + Database.CHANNEL);
                }
                recovered();
                return null; // what changed while nobody listened
            }
            PGNotification[] notifications = listening.unwrap(PGConnection.class)
                    .getNotifications((int) poll.toMillis());
            Set<String> keys = new HashSet<>();
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    keys.add(notification.getParameter());
                }
            }
            return keys;
        } catch (SQLException e) {
            problem("listening for changes: " + e.getMessage());
            closeListening();
            pause();
            return null;
        }
    }

    private void pause() {
        try {
            Thread.sleep(poll.toMillis()); // the database is away; try again after one poll interval
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private synchronized void problem(String what) {
        if (!what.equals(lastProblem)) {
            LOG.warning("PostgreSQL " + database.settings().where() + ": " + what);
            lastProblem = what;
        }
    }

    private synchronized void recovered() {
        if (lastProblem != null) {
            LOG.info("PostgreSQL " + database.settings().where() + ": listening for changes again");
            lastProblem = null;
        }
    }

    private void closeListening() {
        if (listening != null) {
            try {
                listening.close();
            } catch (SQLException ignored) {
                // broken already
            }
            listening = null;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.shutdown();
        try {
            if (!thread.awaitTermination(poll.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
        closeListening();
    }

    private final class Poller implements Subscription {
        private final String key;
        private final Catchup catchup;
        private final ReentrantLock calling = new ReentrantLock();
        private volatile boolean open = true;
        /** Not called yet: its first catch-up is due at once. */
        private volatile boolean fresh = true;

        Poller(String key, Catchup catchup) {
            this.key = key;
            this.catchup = catchup;
        }

        void run() {
            fresh = false;
            calling.lock();
            try {
                if (open) {
                    catchup.catchUp();
                }
            } catch (org.certwatch.api.persistence.StorageUnavailableException e) {
                problem(e.getMessage()); // the next round reads again from where it was
            } catch (Exception e) {
                LOG.log(Level.WARNING, "a subscriber of " + key + " failed; it is called again from where it was", e);
            } finally {
                calling.unlock();
            }
        }

        /** Stops the calls; returns after a call in progress ended (at once from within the call). */
        @Override
        public void close() {
            open = false;
            pollers.remove(this);
            calling.lock();
            calling.unlock();
        }
    }
}
