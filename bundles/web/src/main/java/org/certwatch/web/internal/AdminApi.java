package org.certwatch.web.internal;

/** The administration resources of the API: API tokens, users and groups. */
final class AdminApi {
    private final TokensApi tokens;
    private final UsersApi users;

    AdminApi(Services services, UserAdmin userAdmin) {
        this.tokens = new TokensApi(new Tokens(services));
        this.users = new UsersApi(userAdmin);
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
    }
}
