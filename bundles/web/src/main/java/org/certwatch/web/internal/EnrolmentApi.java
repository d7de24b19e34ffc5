package org.certwatch.web.internal;

/** {@code /api/v1/enrolment-tokens}: list, create (the only answer with the token and the agent commands), revoke. */
final class EnrolmentApi {
    private final Enrolments enrolments;

    EnrolmentApi(Enrolments enrolments) {
        this.enrolments = enrolments;
    }

    void routes(Router r) {
        r.on("GET", "enrolment-tokens", (ex, p) -> ex.json(200,
                        Paging.of(ex).json(enrolments.list(ex.scope, ex.remote()), Enrolments.TokenJson::of)))
                .on("POST", "enrolment-tokens", (ex, p) -> {
                    ex.auditAs("enrolment-token.create", "enrolment-token:new");
                    Enrolments.TokenJson t = enrolments.create(ex.scope, Json.read(ex.body(), Enrolments.Body.class),
                            enrolments.server(ex), ex.remote());
                    ex.response.getHeaders().put("Cache-Control", "no-store");
                    ex.json(201, t);
                })
                .on("DELETE", "enrolment-tokens/*", (ex, p) -> {
                    ex.auditAs("enrolment-token.revoke", "enrolment-token:" + p[1]);
                    enrolments.revoke(ex.scope, p[1], ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                });
    }
}
