package org.certwatch.web.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationQuery;
import org.certwatch.api.source.LocationRegistry;
import org.certwatch.api.source.LocationState;

/**
 * The locations one user may see (those of their home group and below, with certificate read permission),
 * for the pages and the API alike; others answer "not found". Without the location registry the answer is
 * 503 naming it.
 */
final class Locations {
    /** Filters of the location list; null fields match everything. */
    record Filter(String source, LocationState state) {
    }

    /** A location with what the caller may see of its certificate and chain, and its history. */
    record Detail(Location location, Views.Row certificate, List<Views.Row> chain,
            List<org.certwatch.api.source.LocationHistoryEntry> history) {
    }

    private final Services services;
    private final Views views;
    private final Actions actions;

    Locations(Services services, Views views, Actions actions) {
        this.services = services;
        this.views = views;
        this.actions = actions;
    }

    boolean available() {
        return services.locations().isPresent();
    }

    /** The sources deployed now. */
    List<String> sources() {
        return registry().sources();
    }

    private LocationRegistry registry() {
        return services.locations().orElseThrow(() -> Problem.unavailable(
                "the location registry is not running: sources and locations are not available"));
    }

    List<Location> list(UserScope scope, Filter filter) {
        if (!scope.has(org.certwatch.api.fleet.Permission.CERTIFICATES_READ)) {
            return List.of();
        }
        return registry().locations(new LocationQuery(List.of(scope.homeGroup()), filter.source(), filter.state(),
                0, 0, 0)).stream().filter(l -> scope.seesCertificatesOf(l.ref().homeGroup())).toList();
    }

    /** Where the certificate is held now, as far as the caller sees; empty without the registry. */
    List<Location> heldAt(UserScope scope, long certificateId) {
        return services.locations().map(r -> r.locations(new LocationQuery(List.of(scope.homeGroup()), null, null,
                certificateId, 0, 0)).stream().filter(l -> scope.seesCertificatesOf(l.ref().homeGroup())).toList())
                .orElse(List.of());
    }

    Location location(UserScope scope, long id) {
        return registry().location(id).filter(l -> scope.seesCertificatesOf(l.ref().homeGroup()))
                .orElseThrow(() -> Problem.notFound("location " + id));
    }

    Detail detail(UserScope scope, long id) {
        Location l = location(scope, id);
        Views.Row certificate = l.certificateId() == 0 ? null : visible(scope, l.certificateId()).orElse(null);
        List<Views.Row> chain = new ArrayList<>();
        for (long c : l.chainIds()) {
            visible(scope, c).ifPresent(chain::add);
        }
        return new Detail(l, certificate, chain, registry().history(id));
    }

    private Optional<Views.Row> visible(UserScope scope, long certificateId) {
        try {
            return Optional.of(views.certificate(scope, certificateId));
        } catch (Problem hidden) {
            // deleted, or (a chain's CA certificate) kept in a group the caller does not see
            return Optional.empty();
        }
    }

    /** Stops or resumes watching a location the caller sees and may write (the registry audits it). */
    Location setWatching(UserScope scope, long id, boolean watching, String from) {
        location(scope, id);
        String action = watching ? "location.resume" : "location.stop";
        actions.requireWrite(scope, from, action);
        try {
            Location l = watching ? registry().resumeWatching(id, scope.user()) : registry().stopWatching(id, scope.user());
            views.invalidate();
            return l;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new Problem(409, "location " + id + ": " + e.getMessage());
        }
    }

    Filter filter(Exchange ex) {
        return new Filter(ex.param("source"), Actions.parseOptional(LocationState.class, ex.param("state"), "state"));
    }
}
