package org.certwatch.commons.unavailable;

import java.util.Optional;

/**
 * How a front door (web, agent endpoint, console) recognises a write that met unreachable storage, which it
 * answers as "try again later" (503 with {@code Retry-After}) rather than as a refusal or an internal error.
 * Storage code wraps it at times (an {@code IOException} of a queued write, a store's issuing future), so the
 * whole cause chain is searched. The exception is known by its name, so that a bundle that starts before the api
 * bundle (the console) can use this without importing it.
 */
public final class Unavailable {
    /** {@code org.certwatch.api.persistence.StorageUnavailableException}, by name. */
    static final String EXCEPTION = "org.certwatch.api.persistence.StorageUnavailableException";
    /**
     * What a 503 asks the client to wait: a little longer than the PostgreSQL backend's retry period (3 s), so a
     * client that waits as asked meets a backend that had a chance to come back.
     */
    public static final int RETRY_AFTER_SECONDS = 5;

    private Unavailable() {
    }

    /** What every front door says of such a write, with the storage's {@code why}: the same words everywhere. */
    public static String said(String why) {
        return "storage unavailable, nothing was changed; try again later: " + why;
    }

    /**
     * Why a front door refuses while {@code what} (a service) is gone with its bundle or its backend's: the same
     * words everywhere.
     */
    public static String notRunning(String what) {
        return what + " is not running (its bundle, or the backend it stores in, is not deployed)";
    }

    /** The message of the StorageUnavailableException that {@code failure} is or was caused by, if any. */
    public static Optional<String> why(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 32; depth++, t = t.getCause()) { // bounded: a chain may loop
            if (t.getClass().getName().equals(EXCEPTION)) {
                return Optional.of(String.valueOf(t.getMessage()));
            }
        }
        return Optional.empty();
    }
}
