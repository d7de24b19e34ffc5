package org.certwatch.monitor.internal;

import org.certwatch.commons.ready.Announcement;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The monitor published in the framework: {@link MonitorRuntime} registered by hand once the monitor is open (SCR
 * then activates the components that reference it, and deactivates them when it is withdrawn), and the capability
 * {@code monitor} announced waiting, then serving.
 */
final class RegisteredMonitor implements MonitorPublication {
    static final String CAPABILITY = "monitor";

    private final BundleContext context;
    private final Announcement announcement;
    private volatile ServiceRegistration<MonitorRuntime> registration;

    RegisteredMonitor(BundleContext context) {
        this.context = context;
        this.announcement = new Announcement(context, CAPABILITY);
    }

    @Override
    public void waiting(String why) {
        announcement.waiting(why);
    }

    @Override
    public void ready(MonitorRuntime runtime) {
        registration = context.registerService(MonitorRuntime.class, runtime, null);
        announcement.serving();
    }

    @Override
    public void withdraw() {
        ServiceRegistration<MonitorRuntime> r = registration;
        registration = null;
        if (r != null) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first: the framework unregistered it
            }
        }
        announcement.withdraw();
    }
}
