package org.certwatch.launcher;

import java.util.logging.LogManager;

/**
 * The JDK resets logging in its own shutdown hook, which would silence the bundles while they stop.
 * This manager keeps the handlers until the launcher has stopped the framework.
 */
public final class RetainingLogManager extends LogManager {
    private volatile boolean released;

    @Override
    public void reset() {
        if (released) {
            super.reset();
        }
    }

    void release() {
        released = true;
        super.reset();
    }
}
