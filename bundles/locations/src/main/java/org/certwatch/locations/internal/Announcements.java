package org.certwatch.locations.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.Topics;
import org.certwatch.api.source.Finding;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationState;
import org.certwatch.api.source.Observation;

/**
 * The registry's events: {@code location/CHANGED} once per change (state, certificate, findings, a failed check's
 * count; not per unchanged successful check), {@code FAILING} and {@code RECOVERED} once per announced failing spell,
 * {@code FINDINGS} once when a finding appears or clears. Every one carries the location's finding kinds.
 */
final class Announcements {
    private final Announcer announcer;

    Announcements(Announcer announcer) {
        this.announcer = announcer;
    }

    /** One check taken: the location before ({@code old}, null when new; {@code previous} its state shown) and after. */
    void reported(Observation o, StoredLocation old, LocationState previous, StoredLocation next) {
        Location l = next.location();
        List<Finding> before = old == null ? List.of() : old.location().findings();
        // a failed check is a change too (its count and reason), so the MIB's and pages' copies stay current
        if (previous != l.state() || old == null || old.location().certificateId() != l.certificateId()
                || !o.succeeded() || !FindingSets.same(before, l.findings())) {
            changed(l, previous);
        }
        if (!FindingSets.sameSubjects(before, l.findings())) {
            findings(l, previous, before);
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

    /** A finding appeared or cleared (a text that counts days down is a change, not this). */
    private void findings(Location l, LocationState previous, List<Finding> before) {
        Map<String, Object> p = properties(l, previous);
        p.put("findings.text", FindingSets.texts(l.findings()));
        p.put("previous.findings", FindingSets.kinds(before));
        announcer.post(Topics.LOCATION_FINDINGS, p);
    }

    private void post(String topic, Location l, LocationState previous) {
        Map<String, Object> p = properties(l, previous);
        if (topic.equals(Topics.LOCATION_FAILING)) {
            p.put("failure", l.failure() == null ? "" : l.failure().name());
            p.put("reason", l.reason());
            p.put("failures", l.consecutiveFailures());
        }
        announcer.post(topic, p);
    }

    private static Map<String, Object> properties(Location l, LocationState previous) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("location.id", l.id());
        p.put("state", l.state().name());
        p.put("previous.state", previous == null ? "" : previous.name());
        p.put("certificate.id", l.certificateId());
        p.put("source", l.ref().source());
        p.put("address", l.ref().address());
        p.put("group", l.ref().homeGroup());
        p.put("findings", FindingSets.kinds(l.findings()));
        return p;
    }
}
