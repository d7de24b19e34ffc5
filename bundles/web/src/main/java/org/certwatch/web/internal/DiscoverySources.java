package org.certwatch.web.internal;

import java.util.List;
import org.certwatch.api.fleet.UserScope;
import org.certwatch.api.source.DiscoveredEndpoint;
import org.certwatch.api.source.Discovery;
import org.certwatch.api.source.DiscoveryRange;
import org.certwatch.api.source.Endpoint;

/**
 * Discovery of TLS endpoints by address range: ranges, their scans and the candidates found. Scans connect to every
 * address of a range, so all of it is for server administrators only (403, audited). Without the {@code tls-probe}
 * feature the answer is 503 saying so; the service's refusals (a range too large, a bad port) are 400 with its words.
 */
final class DiscoverySources {
    /** A range as sent; fields left out keep their value on update ({@code every} ISO-8601, "" only when run). */
    record Body(String addresses, List<Integer> ports, String homeGroup, String every, Boolean addFound,
            String description) {
    }

    /** A candidate named by its address and port. */
    record CandidateBody(String host, Integer port) {
    }

    private final Services services;
    private final Actions actions;

    DiscoverySources(Services services, Actions actions) {
        this.services = services;
        this.actions = actions;
    }

    boolean deployed() {
        return services.discovery().isPresent();
    }

    void requireAdministrator(UserScope scope, String from, String action) {
        ServerAdministrators.require(actions, scope, from, action, "discovery ranges");
    }

    Discovery discovery() {
        return services.discovery().orElseThrow(() -> new Problem(503,
                "discovery is not deployed: deploy the feature 'tls-probe' to scan address ranges for TLS endpoints"));
    }

    List<DiscoveryRange> list() {
        return discovery().ranges();
    }

    DiscoveryRange get(String id) {
        return discovery().range(id).orElseThrow(() -> Problem.notFound("discovery range '" + id + "'"));
    }

    boolean running(String id) {
        return discovery().running(id);
    }

    DiscoveryRange create(UserScope scope, Body body, String from) {
        Discovery d = discovery();
        DiscoveryRange range = range(scope, null, body, null);
        try {
            DiscoveryRange created = d.create(range, scope.user());
            actions.audit(scope, "web.discovery.create", "range:" + created.id(), "ok: " + created.addresses(), from);
            return created;
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("range not added: " + e.getMessage());
        }
    }

    DiscoveryRange update(UserScope scope, String id, Body body, String from) {
        Discovery d = discovery();
        DiscoveryRange old = get(id);
        try {
            DiscoveryRange updated = d.update(range(scope, id, body, old), scope.user());
            actions.audit(scope, "web.discovery.update", "range:" + id, "ok: " + updated.addresses(), from);
            return updated;
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("range not changed: " + e.getMessage());
        }
    }

    void delete(UserScope scope, String id, String from) {
        Discovery d = discovery();
        get(id);
        d.delete(id, scope.user());
        actions.audit(scope, "web.discovery.delete", "range:" + id, "ok", from);
    }

    void run(UserScope scope, String id, String from) {
        Discovery d = discovery();
        get(id);
        d.run(id, scope.user());
        actions.audit(scope, "web.discovery.run", "range:" + id, "ok", from);
    }

    List<DiscoveredEndpoint> candidates() {
        return discovery().candidates();
    }

    Endpoint approve(UserScope scope, CandidateBody body, String from) {
        Discovery d = discovery();
        DiscoveredEndpoint c = candidate(body);
        try {
            Endpoint e = d.approve(c.host(), c.port(), scope.user());
            actions.audit(scope, "web.discovery.approve", "endpoint:" + e.id(), "ok: " + e.address(), from);
            return e;
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("candidate not approved: " + e.getMessage());
        }
    }

    void dismiss(UserScope scope, CandidateBody body, String from) {
        Discovery d = discovery();
        DiscoveredEndpoint c = candidate(body);
        d.dismiss(c.host(), c.port(), scope.user());
        actions.audit(scope, "web.discovery.dismiss", "candidate:" + c.host() + ":" + c.port(), "ok", from);
    }

    private DiscoveredEndpoint candidate(CandidateBody body) {
        if (body.host() == null || body.host().isBlank() || body.port() == null) {
            throw Problem.badRequest("fields 'host' and 'port' are required: a candidate's address and port");
        }
        String host = body.host().trim();
        return candidates().stream().filter(c -> c.host().equals(host) && c.port() == body.port()).findFirst()
                .orElseThrow(() -> Problem.notFound("candidate " + host + ":" + body.port()));
    }

    private DiscoveryRange range(UserScope scope, String id, Body body, DiscoveryRange old) {
        String addresses = body.addresses() == null || body.addresses().isBlank() ? old == null ? null
                : old.addresses() : body.addresses().trim();
        if (addresses == null) {
            throw Problem.badRequest("field 'addresses' is required: a CIDR block (192.0.2.0/28) or a range"
                    + " (192.0.2.1-192.0.2.20)");
        }
        List<Integer> ports = body.ports() != null ? body.ports() : old == null ? null : old.ports();
        if (ports == null || ports.isEmpty() || ports.stream().anyMatch(java.util.Objects::isNull)) {
            throw Problem.badRequest("field 'ports' is required: the TCP ports to try, e.g. [443, 8443]");
        }
        String group = body.homeGroup() == null && old != null ? old.homeGroup()
                : actions.groups.orHome(scope, body.homeGroup(), "field 'homeGroup'");
        return new DiscoveryRange(id, addresses, ports, group,
                body.every() == null ? old == null ? null : old.every() : EndpointSources.duration(body.every(), "every"),
                body.addFound() != null ? body.addFound() : old != null && old.addFound(),
                body.description() != null ? body.description().trim() : old == null ? "" : old.description(),
                old == null ? null : old.createdAt(), old == null ? null : old.lastRun());
    }
}
