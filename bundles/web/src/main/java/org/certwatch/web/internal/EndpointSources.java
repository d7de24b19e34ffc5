package org.certwatch.web.internal;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.EndpointProtocol;
import org.certwatch.api.source.Endpoints;
import org.certwatch.api.source.Location;
import org.certwatch.api.source.LocationKind;
import org.certwatch.api.source.LocationQuery;

/**
 * The TLS probe source's endpoints. Endpoints make the server connect to arbitrary hosts, so they are for server
 * administrators only (403, audited). Without the {@code tls-probe} feature the answer is 503 saying so; the
 * service's refusals (port, interval, extra CA, duplicate) are 400 with its words.
 */
final class EndpointSources {
    /** An endpoint as sent; fields left out keep their value on update ({@code interval} ISO-8601, "" the default). */
    record Body(String host, Integer port, String sniName, String protocol, String homeGroup, String interval,
            String extraCaPem, Boolean checkCrl, String description) {
    }

    private final Services services;
    private final Actions actions;

    EndpointSources(Services services, Actions actions) {
        this.services = services;
        this.actions = actions;
    }

    boolean deployed() {
        return services.endpoints().isPresent();
    }

    void requireAdministrator(UserScope scope, String from, String action) {
        ServerAdministrators.require(actions, scope, from, action, "TLS endpoints");
    }

    Endpoints endpoints() {
        return services.endpoints().orElseThrow(() -> new Problem(503,
                "the TLS probe is not deployed: deploy the feature 'tls-probe' to check TLS endpoints"));
    }

    List<Endpoint> list() {
        return endpoints().endpoints();
    }

    Endpoint get(String id) {
        return endpoints().endpoint(id).orElseThrow(() -> Problem.notFound("endpoint '" + id + "'"));
    }

    /** The endpoint locations by address (what each endpoint's last check found); empty without the registry. */
    Map<String, Location> locations() {
        Map<String, Location> byAddress = new HashMap<>();
        services.locations().ifPresent(r -> r.locations(LocationQuery.all()).stream()
                .filter(l -> l.ref().kind() == LocationKind.ENDPOINT)
                .forEach(l -> byAddress.put(l.ref().address(), l)));
        return byAddress;
    }

    Endpoint create(UserScope scope, Body body, String from) {
        Endpoints e = endpoints();
        Endpoint endpoint = endpoint(scope, null, body, null);
        try {
            Endpoint created = e.create(endpoint, scope.user());
            actions.audit(scope, "web.source.endpoint.create", "endpoint:" + created.id(), "ok: " + created.address(),
                    from);
            return created;
        } catch (IllegalArgumentException ex) {
            throw Problem.badRequest("endpoint not added: " + ex.getMessage());
        }
    }

    Endpoint update(UserScope scope, String id, Body body, String from) {
        Endpoints e = endpoints();
        Endpoint old = get(id);
        try {
            Endpoint updated = e.update(endpoint(scope, id, body, old), scope.user());
            actions.audit(scope, "web.source.endpoint.update", "endpoint:" + id, "ok: " + updated.address(), from);
            return updated;
        } catch (IllegalArgumentException ex) {
            throw Problem.badRequest("endpoint not changed: " + ex.getMessage());
        }
    }

    void delete(UserScope scope, String id, String from) {
        Endpoints e = endpoints();
        get(id);
        e.delete(id, scope.user());
        actions.audit(scope, "web.source.endpoint.delete", "endpoint:" + id, "ok", from);
    }

    void check(UserScope scope, String id, String from) {
        Endpoints e = endpoints();
        get(id);
        e.checkNow(id);
        actions.audit(scope, "web.source.endpoint.check", "endpoint:" + id, "ok", from);
    }

    /** The endpoint a body describes; fields it leaves out keep {@code old}'s values on update. */
    private Endpoint endpoint(UserScope scope, String id, Body body, Endpoint old) {
        String host = body.host() == null || body.host().isBlank() ? old == null ? null : old.host() : body.host().trim();
        if (host == null) {
            throw Problem.badRequest("field 'host' is required: a DNS name or an IPv4/IPv6 address");
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // an IPv6 literal as URLs write it
        }
        Integer port = body.port() != null ? body.port() : old == null ? null : old.port();
        if (port == null) {
            throw Problem.badRequest("field 'port' is required: 1-65535");
        }
        EndpointProtocol protocol = body.protocol() == null || body.protocol().isBlank()
                ? old == null ? EndpointProtocol.TLS : old.protocol()
                : Actions.parse(EndpointProtocol.class, body.protocol(), "protocol");
        String group = body.homeGroup() == null && old != null ? old.homeGroup()
                : actions.groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        Duration interval = body.interval() == null ? old == null ? null : old.interval() : duration(body.interval(),
                "interval");
        return new Endpoint(id, host, port, pick(body.sniName(), old == null ? "" : old.sniName()), protocol, group,
                interval, pick(body.extraCaPem(), old == null ? "" : old.extraCaPem()),
                body.checkCrl() != null ? body.checkCrl() : old != null && old.checkCrl(),
                pick(body.description(), old == null ? "" : old.description()), old == null ? null : old.createdAt());
    }

    private static String pick(String sent, String old) {
        return sent == null ? old : sent.trim();
    }

    /** An ISO-8601 duration ({@code PT1H}); blank means "the default" (null). */
    static Duration duration(String text, String field) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Duration.parse(text.trim());
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("field '" + field + "' must be an ISO-8601 duration such as PT1H or PT30M");
        }
    }
}
