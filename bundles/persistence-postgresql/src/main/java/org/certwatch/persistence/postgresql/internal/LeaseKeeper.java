package org.certwatch.persistence.postgresql.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.Leadership;
import org.certwatch.api.persistence.StorageUnavailableException;
import org.certwatch.api.persistence.Subscription;

/**
 * The leader lease: one row in {@code certwatch_lease}, taken or renewed every renewal interval by
 * {@code ... WHERE holder = me OR expires_at < now()} with the database's clock, lasting the lease length from
 * there. This server counts itself the leader until the lease length less one renewal interval after the
 * renewing statement was sent (by {@link System#nanoTime()}, never a movable {@code Clock}): the database's expiry
 * lies after the statement arrived, so a leader that can no longer renew has stopped before another can take
 * over. Renewing (which may block on the network) and telling the listeners run on two threads of their own, so
 * listeners hear of the loss on time even while a renewal hangs.
 */
final class LeaseKeeper implements Leadership, AutoCloseable {
    private static final Logger LOG = Logger.getLogger("org.certwatch.persistence.postgresql");
    private static final String LEASE = "leader";
    private static final long TICK_MILLIS = 100;

    private final Database database;
    private final String serverId;
    private final long leaseNanos;
    private final long trustedNanos;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService renewer = single("certwatch-postgresql-lease");
    private final ScheduledExecutorService teller = single("certwatch-postgresql-leadership");
    /** nanoTime until which this server is the leader; meaningful while {@link #holding}. */
    private volatile long leaderUntil;
    private volatile boolean holding;
    private boolean told; // teller thread only
    private String lastProblem; // renewer thread only

    LeaseKeeper(Database database, String serverId) {
        this.database = database;
        this.serverId = serverId;
        BackendSettings settings = database.settings();
        this.leaseNanos = settings.lease().toNanos();
        this.trustedNanos = leaseNanos - settings.renewal().toNanos();
        renewer.scheduleWithFixedDelay(this::renew, 0, settings.renewal().toMillis(), TimeUnit.MILLISECONDS);
        teller.scheduleWithFixedDelay(this::tell, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    @Override
    public boolean isLeader() {
        return holding && System.nanoTime() - leaderUntil < 0;
    }

    @Override
    public Optional<String> leader() {
        return database.transaction("read the lease", connection -> {
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT holder FROM certwatch_lease WHERE name = ? AND expires_at > now()")) {
                query.setString(1, LEASE);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Optional.of(row.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    @Override
    public Subscription onChange(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void renew() {
        long sent = System.nanoTime();
        try {
            boolean held = database.transaction("renew the leader lease", connection -> {
                try (PreparedStatement take = connection.prepareStatement("INSERT INTO certwatch_lease"
                        + " (name, holder, expires_at) VALUES (?, ?, now() + make_interval(secs => ?))"
                        + " ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at"
                        + " WHERE certwatch_lease.holder = EXCLUDED.holder OR certwatch_lease.expires_at < now()"
                        + " RETURNING holder")) {
                    take.setString(1, LEASE);
                    take.setString(2, serverId);
                    take.setDouble(3, leaseNanos / 1e9);
                    try (ResultSet row = take.executeQuery()) {
                        return row.next();
                    }
                }
            });
            if (held) {
                leaderUntil = sent + trustedNanos;
            }
            holding = held;
            lastProblem = null;
        } catch (StorageUnavailableException e) {
            if (!e.getMessage().equals(lastProblem)) {
                LOG.warning(e.getMessage());
                lastProblem = e.getMessage();
            }
        } catch (RuntimeException e) {
            // an exception leaving a fixed-delay task cancels every later run: this server would never lead again.
            // Not renewed, the lease this server holds lapses by itself (leaderUntil is not extended).
            if (!String.valueOf(e).equals(lastProblem)) {
                LOG.log(Level.WARNING, "renewing the leader lease failed; trying again", e);
                lastProblem = String.valueOf(e);
            }
        }
    }

    private void tell() {
        boolean now = isLeader();
        if (now == told) {
            return;
        }
        told = now;
        LOG.info(now ? "this server (" + serverId + ") is the leader" : "this server (" + serverId + ") is not the leader");
        for (Listener listener : listeners) {
            try {
                listener.leadershipChanged(now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a leadership listener failed", e);
            }
        }
    }

    /** Stops renewing and hands the lease back, so another server takes over at once. */
    @Override
    public void close() {
        boolean held = isLeader();
        abandon();
        if (held) {
            try {
                database.transaction("hand the leader lease back", connection -> {
                    try (PreparedStatement release = connection.prepareStatement(
                            "UPDATE certwatch_lease SET expires_at = now() WHERE name = ? AND holder = ?")) {
                        release.setString(1, LEASE);
                        release.setString(2, serverId);
                        return release.executeUpdate();
                    }
                });
            } catch (StorageUnavailableException e) {
                LOG.warning(e.getMessage() + " (the lease expires by itself)");
            }
        }
    }

    /** Stops renewing without handing the lease back, as a crashed server would (tests; and {@link #close}). */
    void abandon() {
        holding = false;
        stop(renewer);
        stop(teller);
    }

    private static void stop(ScheduledExecutorService executor) {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ScheduledExecutorService single(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
