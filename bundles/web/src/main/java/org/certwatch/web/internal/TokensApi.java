package org.certwatch.web.internal;

import org.certwatch.api.fleet.NewApiToken;

/** {@code /api/v1/tokens}: list, create (the only answer with the token's text), read, revoke. */
final class TokensApi {
    private final Tokens tokens;

    TokensApi(Tokens tokens) {
        this.tokens = tokens;
    }

    void routes(Router r) {
        r.on("GET", "tokens", (ex, p) -> ex.json(200, Paging.of(ex).json(tokens.list(ex.scope), Tokens.TokenJson::of)))
                .on("POST", "tokens", (ex, p) -> {
                    ex.auditAs("api-token.create", "user:" + ex.scope.user());
                    NewApiToken t = tokens.create(ex.scope, Json.read(ex.body(), Tokens.Body.class));
                    ex.response.getHeaders().put("Location", Api.PREFIX + "tokens/" + t.token().id());
                    ex.response.getHeaders().put("Cache-Control", "no-store");
                    ex.json(201, Tokens.TokenJson.of(t));
                })
                .on("GET", "tokens/*", (ex, p) -> ex.json(200, Tokens.TokenJson.of(tokens.get(ex.scope, p[1]))))
                .on("DELETE", "tokens/*", (ex, p) -> {
                    ex.auditAs("api-token.revoke", "api-token:" + p[1]);
                    tokens.revoke(ex.scope, p[1]);
                    ex.send(204, "application/json", new byte[0]);
                });
    }
}
