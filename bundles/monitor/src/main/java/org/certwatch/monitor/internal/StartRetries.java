package org.certwatch.monitor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.certwatch.api.persistence.StorageUnavailableException;

/**
 * The back-off of the monitor's failed starts, and what each failure says: one log line and one readiness change per
 * cause (the same cause again says nothing new). Used by the one thread that starts the monitor.
 */
final class StartRetries {
    private static final Logger LOG = Logger.getLogger("org.certwatch.monitor");
    /** The first retry after this, doubling up to {@link #MAX_MILLIS}. */
    static final long FIRST_MILLIS = 1000;
    static final long MAX_MILLIS = TimeUnit.SECONDS.toMillis(60);

    private final MonitorPublication publication;
    private long nextMillis = FIRST_MILLIS;
    private String lastFailure;
    private int attempts;

    StartRetries(MonitorPublication publication) {
        this.publication = publication;
    }

    /** Counts a start attempt; returns its number, from 1. */
    int attempt() {
        return ++attempts;
    }

    /**
     * Says why the start failed, if it is a new cause (a cause that is not the storage's, a bug, with its stack
     * trace), and returns the nanoseconds to wait before the next try.
     */
    long failed(Exception e) {
        long wait = nextMillis;
        nextMillis = Math.min(MAX_MILLIS, nextMillis * 2);
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!why.equals(lastFailure)) {
            lastFailure = why;
            boolean storage = e instanceof StorageUnavailableException || e instanceof IOException
                    || e instanceof UncheckedIOException;
            LOG.log(Level.SEVERE, "expiry monitor not started, trying again in " + wait / 1000
                    + " s (then with back-off up to " + MAX_MILLIS / 1000 + " s): " + why, storage ? null : e);
            publication.waiting("its start, tried again with back-off: " + why);
        }
        return TimeUnit.MILLISECONDS.toNanos(wait);
    }
}
