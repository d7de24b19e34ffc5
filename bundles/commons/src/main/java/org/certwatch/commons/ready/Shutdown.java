package org.certwatch.commons.ready;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Whether the whole server is stopping: then every service goes, and a component that says so for each one it
 * loses (the store gone, answering 503 meanwhile) would put warnings into every clean stop.
 */
public final class Shutdown {
    private Shutdown() {
    }

    /** True while the framework stops, or once {@code context} is no longer valid. */
    public static boolean underway(BundleContext context) {
        try {
            int state = context.getBundle(0).getState();
            return state == Bundle.STOPPING || state == Bundle.RESOLVED;
        } catch (IllegalStateException stopped) {
            return true;
        }
    }
}
