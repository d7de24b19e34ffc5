package org.certwatch.commons.groups;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.fleet.GroupRename;
import org.certwatch.api.fleet.GroupRenames;

/**
 * Keeps one bundle's stored group paths up with the fleet's renames: whenever asked (at its component's start,
 * when the fleet's {@link GroupRenames} arrives, on every {@code group/RENAMED}) it reads the renames after
 * the last one the bundle applied and hands them to the bundle, which applies them to its own data and stores
 * that number with its rewrite. On a thread of its own (never the caller's: SCR's or EventAdmin's), one catch-up
 * at a time, requests during one folded into one more; a catch-up that fails is logged and done again at the next
 * request and after {@link #RETRY_SECONDS} (the storage away, the bundle's own part not started yet). Owned by the
 * component that made it, which closes it on deactivate.
 */
public final class RenameFollower implements AutoCloseable {
    /**
     * What the bundle does: the number of its last applied rename, and applying those after it. A bundle that
     * keeps no number answers 0 and gets every rename each time: applying them all again is harmless, since the
     * fleet refuses a group at a path its renames would move elsewhere; it rewrites only what they move.
     */
    @FunctionalInterface
    public interface Applier {
        default long lastApplied() throws Exception {
            return 0;
        }

        /** Applies the renames, in order, storing the last one's number with the rewrite. */
        void apply(List<GroupRename> renames) throws Exception;
    }

    /** A failed catch-up is tried again after this long, until one succeeds. */
    public static final long RETRY_SECONDS = 10;
    private final Logger log;
    private final String what;
    private final Applier applier;
    private final ScheduledThreadPoolExecutor thread;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile GroupRenames source;
    /** Requests wait for {@link #start}: a component's references bind before its activation ends. */
    private volatile boolean started;

    /** {@code what} names the bundle's data in log lines, e.g. "store" or "locations". */
    public RenameFollower(Logger log, String what, Applier applier) {
        this.log = log;
        this.what = what;
        this.applier = applier;
        this.thread = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "certwatch-group-renames-" + what);
            t.setDaemon(true);
            return t;
        });
        thread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** The fleet's renames arrived; a catch-up follows. */
    public void source(GroupRenames renames) {
        source = renames;
        request();
    }

    /** The fleet's renames left (SCR binds a replacement before it unbinds the one it replaces). */
    public void sourceGone(GroupRenames renames) {
        if (source == renames) {
            source = null;
        }
    }

    /** The component serves now: the first catch-up follows, and every request from now on. */
    public RenameFollower start() {
        started = true;
        request();
        return this;
    }

    /** Asks for a catch-up (returns at once); before {@link #start} nothing happens. */
    public void request() {
        if (started && pending.compareAndSet(false, true)) {
            try {
                thread.execute(this::catchUp);
            } catch (RejectedExecutionException closed) {
                pending.set(false);
            }
        }
    }

    /** Catches up now, on the caller's thread (tests). */
    public synchronized int catchUp() {
        pending.set(false);
        GroupRenames renames = source;
        if (renames == null) {
            return 0;
        }
        try {
            List<GroupRename> missing = renames.since(applier.lastApplied());
            if (!missing.isEmpty()) {
                applier.apply(missing);
                GroupRename last = missing.get(missing.size() - 1);
                log.fine(what + ": applied " + missing.size() + " group rename(s) through number " + last.number()
                        + " (last: " + last.from() + " to " + last.to() + ")");
            }
            return missing.size();
        } catch (Exception e) {
            log.log(Level.WARNING, what + ": cannot apply the renames of groups now (" + e.getMessage()
                    + "); tried again in " + RETRY_SECONDS + " s", e);
            try {
                thread.schedule(this::request, RETRY_SECONDS, TimeUnit.SECONDS);
            } catch (RejectedExecutionException closed) {
                // closing: the next start catches up
            }
            return 0;
        }
    }

    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
