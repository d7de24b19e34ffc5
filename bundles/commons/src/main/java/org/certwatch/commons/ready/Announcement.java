package org.certwatch.commons.ready;

import java.util.Dictionary;
import org.certwatch.api.Serving;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * A component's {@link Serving} registration for one capability: serving, failed (with why), waiting (for
 * what), or withdrawn. The component owns it and withdraws it when it deactivates.
 */
public final class Announcement {
    private final BundleContext context;
    private final String capability;
    private ServiceRegistration<Serving> registration;

    public Announcement(BundleContext context, String capability) {
        this.context = context;
        this.capability = capability;
    }

    public synchronized void serving() {
        publish(Serving.serving(capability));
    }

    public synchronized void failed(String why) {
        publish(Serving.failed(capability, why));
    }

    /** Waits for {@code what}, which it expects to come by itself (the ready line names it at once). */
    public synchronized void waiting(String what) {
        publish(Serving.waiting(capability, what));
    }

    public synchronized void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle stopped first: the framework unregistered it
            }
            registration = null;
        }
    }

    private void publish(Dictionary<String, Object> properties) {
        if (registration == null) {
            registration = context.registerService(Serving.class, Serving.MARK, properties);
        } else {
            registration.setProperties(properties);
        }
    }
}
