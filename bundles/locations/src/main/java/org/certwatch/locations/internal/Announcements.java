package org.certwatch.locations.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.certwatch.api.Topics;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;

/**
 * The registry's events: {@code location/CHANGED} once per change (not per unchanged check), {@code FAILING} and
 * {@code RECOVERED} once per announced failing spell.
 */
final class Announcements {
    private final Announcer announcer;

    Announcements(Announcer announcer) {
        this.announcer = announcer;
    }

    /** One check taken: the location before ({@code old}, null when new; {@code previous} its state as shown) and after. */
    void reported(Observation o, StoredLocation old, LocationState previous, StoredLocation next) {
        Location l = next.location();
        // a failed check is a change too (its count and reason), so the MIB's and pages' copies stay current
        if (previous != l.state() || old == null || old.location().certificateId() != l.certificateId()
                || !o.succeeded()) {
            changed(l, previous);
        }
        if (next.announced() && (old == null || !old.announced())) {
            post(Topics.LOCATION_FAILING, l, previous);
        } else if (old != null && old.announced() && !next.announced()) {
            post(Topics.LOCATION_RECOVERED, l, previous);
        }
    }

    void changed(Location l, LocationState previous) {
        post(Topics.LOCATION_CHANGED, l, previous);
    }

    private void post(String topic, Location l, LocationState previous) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("location.id", l.id());
        p.put("state", l.state().name());
        p.put("previous.state", previous == null ? "" : previous.name());
        p.put("certificate.id", l.certificateId());
        p.put("source", l.ref().source());
        p.put("address", l.ref().address());
        p.put("group", l.ref().homeGroup());
        if (topic.equals(Topics.LOCATION_FAILING)) {
            p.put("failure", l.failure() == null ? "" : l.failure().name());
            p.put("reason", l.reason());
            p.put("failures", l.consecutiveFailures());
        }
        announcer.post(topic, p);
    }
}
