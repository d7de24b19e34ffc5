package org.certwatch.web.internal;

/** The administration pages: API tokens, users, groups, the caller's account. */
final class AdminPages {
    private final TokenPages tokens;
    private final UserPages users;

    AdminPages(Services services, UserAdmin userAdmin) {
        this.tokens = new TokenPages(new Tokens(services), services);
        this.users = new UserPages(userAdmin);
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
    }
}
