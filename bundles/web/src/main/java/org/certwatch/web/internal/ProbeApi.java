package org.certwatch.web.internal;

import java.util.Map;
import org.certwatch.api.source.Endpoint;
import org.certwatch.api.source.Location;

/** The API of the TLS probe: endpoints and discovery (ranges, scans, candidates), for server administrators. */
final class ProbeApi {
    /** POST …/run and …/check: the work was started off the request. */
    record Started(boolean started) {
    }

    private final EndpointSources endpoints;
    private final DiscoverySources discovery;

    ProbeApi(EndpointSources endpoints, DiscoverySources discovery) {
        this.endpoints = endpoints;
        this.discovery = discovery;
    }

    void routes(Router r) {
        r.before(Router.ANY, "endpoints/**", (ex, p) -> endpoints.requireAdministrator(ex.scope, ex.remote(),
                "source.endpoint"))
                .on("GET", "endpoints", (ex, p) -> {
                    Map<String, Location> where = endpoints.locations();
                    ex.json(200, Paging.of(ex).json(endpoints.list(), e -> json(e, where)));
                })
                .on("POST", "endpoints", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.create", "endpoint:new");
                    Endpoint e = endpoints.create(ex.scope, Json.read(ex.body(), EndpointSources.Body.class),
                            ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "endpoints/" + e.id());
                    ex.json(201, ApiJson.EndpointJson.of(e, null));
                })
                .on("GET", "endpoints/*", (ex, p) -> ex.json(200, json(endpoints.get(p[1]), endpoints.locations())))
                .on("PUT", "endpoints/*", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.update", "endpoint:" + p[1]);
                    Endpoint e = endpoints.update(ex.scope, p[1], Json.read(ex.body(), EndpointSources.Body.class),
                            ex.remote());
                    ex.json(200, json(e, endpoints.locations()));
                })
                .on("DELETE", "endpoints/*", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.delete", "endpoint:" + p[1]);
                    endpoints.delete(ex.scope, p[1], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                })
                .on("POST", "endpoints/*/check", (ex, p) -> {
                    ex.auditAs("web.source.endpoint.check", "endpoint:" + p[1]);
                    endpoints.check(ex.scope, p[1], ex.remote());
                    ex.json(202, new Started(true));
                });
        r.before(Router.ANY, "discovery/**", (ex, p) -> discovery.requireAdministrator(ex.scope, ex.remote(),
                "discovery"))
                .on("GET", "discovery/ranges", (ex, p) -> ex.json(200, Paging.of(ex).json(discovery.list(),
                        d -> ApiJson.RangeJson.of(d, discovery.running(d.id())))))
                .on("POST", "discovery/ranges", (ex, p) -> {
                    ex.auditAs("web.discovery.create", "range:new");
                    var d = discovery.create(ex.scope, Json.read(ex.body(), DiscoverySources.Body.class), ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "discovery/ranges/" + d.id());
                    ex.json(201, ApiJson.RangeJson.of(d, false));
                })
                .on("GET", "discovery/ranges/*", (ex, p) -> ex.json(200, ApiJson.RangeJson.of(discovery.get(p[2]),
                        discovery.running(p[2]))))
                .on("PUT", "discovery/ranges/*", (ex, p) -> {
                    ex.auditAs("web.discovery.update", "range:" + p[2]);
                    var d = discovery.update(ex.scope, p[2], Json.read(ex.body(), DiscoverySources.Body.class),
                            ex.remote());
                    ex.json(200, ApiJson.RangeJson.of(d, discovery.running(d.id())));
                })
                .on("DELETE", "discovery/ranges/*", (ex, p) -> {
                    ex.auditAs("web.discovery.delete", "range:" + p[2]);
                    discovery.delete(ex.scope, p[2], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                })
                .on("POST", "discovery/ranges/*/run", (ex, p) -> {
                    ex.auditAs("web.discovery.run", "range:" + p[2]);
                    discovery.run(ex.scope, p[2], ex.remote());
                    ex.json(202, new Started(true));
                })
                .on("GET", "discovery/candidates", (ex, p) -> ex.json(200, Paging.of(ex).json(discovery.candidates(),
                        ApiJson.CandidateJson::of)))
                .on("POST", "discovery/candidates/approve", (ex, p) -> {
                    ex.auditAs("web.discovery.approve", "endpoint:new");
                    Endpoint e = discovery.approve(ex.scope, Json.read(ex.body(), DiscoverySources.CandidateBody.class),
                            ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "endpoints/" + e.id());
                    ex.json(201, ApiJson.EndpointJson.of(e, null));
                })
                .on("POST", "discovery/candidates/dismiss", (ex, p) -> {
                    ex.auditAs("web.discovery.dismiss", "candidate");
                    discovery.dismiss(ex.scope, Json.read(ex.body(), DiscoverySources.CandidateBody.class), ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                });
    }

    private static ApiJson.EndpointJson json(Endpoint e, Map<String, Location> where) {
        return ApiJson.EndpointJson.of(e, where.get(e.address()));
    }
}
