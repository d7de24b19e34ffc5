package org.certwatch.web.internal;

import java.util.List;
import org.certwatch.api.source.Location;

/**
 * The API of certificates certwatch did not issue: uploads, stopping and deleting monitored certificates,
 * locations, the files source's watched paths, and the TLS probe's endpoints and discovery ({@link ProbeApi}).
 */
final class SourcesApi {
    /** GET sources: the sources deployed now, and whether the files source is among them. */
    record SourcesJson(List<String> sources, boolean files) {
    }

    private final Views views;
    private final SourceActions sources;

    SourcesApi(Views views, SourceActions sources) {
        this.views = views;
        this.sources = sources;
    }

    void routes(Router r) {
        r.on("POST", "certificates/import", (ex, p) -> {
            ex.auditAs("web.certificate.import", "certificate:new");
            ex.json(201, sources.imports().run(ex.scope, Imports.of(ex), ex.remote()).json());
        })
                .on("POST", "certificates/*/retire", (ex, p) -> retired(ex, p, true))
                .on("POST", "certificates/*/unretire", (ex, p) -> retired(ex, p, false))
                .on("DELETE", "certificates/*", (ex, p) -> {
                    long id = Api.id(p[1], "certificate");
                    ex.auditAs("web.certificate.delete", "certificate:" + id);
                    sources.monitored().delete(ex.scope, id, ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                });
        r.before(Router.ANY, "locations/*/**", (ex, p) -> Api.id(p[1], "location"))
                .on("GET", "locations", (ex, p) -> ex.json(200, Paging.of(ex).json(
                        sources.locations().list(ex.scope, sources.locations().filter(ex)), ApiJson.LocationJson::of)))
                .on("GET", "locations/*", (ex, p) -> ex.json(200, detail(sources.locations().detail(ex.scope,
                        Api.id(p[1], "location")))))
                .on("POST", "locations/*/stop", (ex, p) -> watching(ex, p, false))
                .on("POST", "locations/*/resume", (ex, p) -> watching(ex, p, true));
        r.on("GET", "sources", (ex, p) -> ex.json(200, new SourcesJson(
                sources.locations().available() ? sources.locations().sources() : List.of(), sources.files().deployed())));
        r.before(Router.ANY, "sources/files/**", (ex, p) -> sources.files().requireAdministrator(ex.scope, ex.remote(),
                "source.files"))
                .on("GET", "sources/files", (ex, p) -> ex.json(200, Paging.of(ex).json(sources.files().list(),
                        ApiJson.FileWatchJson::of)))
                .on("POST", "sources/files", (ex, p) -> {
                    ex.auditAs("web.source.files.create", "watch:new");
                    var w = sources.files().create(ex.scope, Json.read(ex.body(), FileSources.Body.class), ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "sources/files/" + w.id());
                    ex.json(201, ApiJson.FileWatchJson.of(w));
                })
                .on("GET", "sources/files/*", (ex, p) -> ex.json(200, ApiJson.FileWatchJson.of(sources.files().get(p[2]))))
                .on("PUT", "sources/files/*", (ex, p) -> {
                    ex.auditAs("web.source.files.update", "watch:" + p[2]);
                    ex.json(200, ApiJson.FileWatchJson.of(sources.files().update(ex.scope, p[2],
                            Json.read(ex.body(), FileSources.Body.class), ex.remote())));
                })
                .on("DELETE", "sources/files/*", (ex, p) -> {
                    ex.auditAs("web.source.files.delete", "watch:" + p[2]);
                    sources.files().delete(ex.scope, p[2], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                });
        new ProbeApi(sources.endpoints(), sources.discovery()).routes(r);
    }

    private void retired(Exchange ex, String[] p, boolean retired) {
        long id = Api.id(p[1], "certificate");
        ex.auditAs(retired ? "web.certificate.retire" : "web.certificate.unretire", "certificate:" + id);
        ex.json(200, ApiJson.of(views.row(sources.monitored().setRetired(ex.scope, id, retired, ex.remote()), views.now())));
    }

    private void watching(Exchange ex, String[] p, boolean watching) {
        long id = Api.id(p[1], "location");
        ex.auditAs(watching ? "web.location.resume" : "web.location.stop", "location:" + id);
        Location l = sources.locations().setWatching(ex.scope, id, watching, ex.remote());
        ex.json(200, ApiJson.LocationJson.of(l));
    }

    static ApiJson.LocationDetail detail(Locations.Detail d) {
        return new ApiJson.LocationDetail(ApiJson.LocationJson.of(d.location()),
                d.certificate() == null ? null : ApiJson.certificate(d.certificate()),
                d.chain().stream().map(ApiJson::certificate).toList(),
                d.history().stream().map(ApiJson.History::of).toList());
    }
}
