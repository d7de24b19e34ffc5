package org.certwatch.api;

import java.util.Dictionary;
import java.util.Hashtable;

/**
 * The readiness whiteboard. A capability that starts off the framework's thread (a port that listens,
 * a store that opens) registers a {@code Serving} service once it serves, with {@link #FAILURE} once
 * its start failed, or with {@link #WAITING} while it waits for something outside it that it expects to come
 * (a database to answer), and withdraws it when it stops. A bundle names such capabilities in advance with
 * {@link Capability}, so the {@code certwatch ready} line can wait for them (see the deployer).
 */
public interface Serving {
    /**
     * This interface's name, a constant: the deployer (a system bundle that installs the api bundle) finds
     * the services by it without importing this package.
     */
    String NAME = "org.certwatch.api.Serving";
    /** Service property: the capability's name, e.g. {@code web}. */
    String CAPABILITY = "certwatch.capability";
    /** Service property, present when the capability failed to start: why, in one line. */
    String FAILURE = "certwatch.failure";
    /**
     * Service property, present while the capability waits for something to come (it retries by itself): for
     * what, in one line, e.g. {@code the postgresql backend}. The ready line names it at once.
     * @since 1.7
     */
    String WAITING = "certwatch.waiting";
    /** Manifest header: the capabilities a bundle announces, comma-separated (written by {@link Capability}). */
    String HEADER = "Certwatch-Capabilities";
    /** The service object; the properties carry the state. */
    Serving MARK = new Serving() {
    };

    /** The properties of a capability that serves. */
    static Dictionary<String, Object> serving(String capability) {
        Dictionary<String, Object> p = new Hashtable<>();
        p.put(CAPABILITY, capability);
        return p;
    }

    /** The properties of a capability that waits for {@code what} and will serve once it comes. */
    static Dictionary<String, Object> waiting(String capability, String what) {
        Dictionary<String, Object> p = serving(capability);
        p.put(WAITING, what == null || what.isBlank() ? "something unnamed" : what.replace('\n', ' '));
        return p;
    }

    /** The properties of a capability whose start failed. */
    static Dictionary<String, Object> failed(String capability, String why) {
        Dictionary<String, Object> p = serving(capability);
        p.put(FAILURE, why == null || why.isBlank() ? "unknown cause" : why.replace('\n', ' '));
        return p;
    }
}
