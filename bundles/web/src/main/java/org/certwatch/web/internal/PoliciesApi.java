package org.certwatch.web.internal;

import org.certwatch.api.fleet.Policy;

/** {@code /api/v1/policies}: list, create, read, change ({@code PUT}) and delete the policies in the caller's scope. */
final class PoliciesApi {
    private final PolicyAdmin admin;

    PoliciesApi(PolicyAdmin admin) {
        this.admin = admin;
    }

    void routes(Router r) {
        r.on("GET", "policies", (ex, p) -> ex.json(200,
                Paging.of(ex).json(admin.policies(ex.scope, ex.remote()), PolicyAdmin.PolicyJson::of)))
                .on("POST", "policies", (ex, p) -> {
                    ex.auditAs("policy.create", "policy:new");
                    Policy created = admin.create(ex.scope, Json.read(ex.body(), PolicyAdmin.Body.class), ex.remote());
                    ex.response.getHeaders().put("Location", Api.PREFIX + "policies/" + created.id());
                    ex.json(201, PolicyAdmin.PolicyJson.of(created));
                })
                .on("GET", "policies/*", (ex, p) -> ex.json(200,
                        PolicyAdmin.PolicyJson.of(admin.policy(ex.scope, Api.id(p[1], "policy"), ex.remote()))))
                .on("PUT", "policies/*", (ex, p) -> {
                    long id = Api.id(p[1], "policy");
                    ex.auditAs("policy.update", "policy:" + id);
                    ex.json(200, PolicyAdmin.PolicyJson.of(admin.update(ex.scope, id,
                            Json.read(ex.body(), PolicyAdmin.Body.class), ex.remote())));
                })
                .on("DELETE", "policies/*", (ex, p) -> {
                    long id = Api.id(p[1], "policy");
                    ex.auditAs("policy.delete", "policy:" + id);
                    admin.delete(ex.scope, id, ex.remote());
                    ex.send(204, "application/json", new byte[0]);
                });
    }
}
