package org.certwatch.web.internal;

/** The administration resources of the API: API tokens, users and groups, enrolment tokens. */
final class AdminApi {
    private final TokensApi tokens;
    private final UsersApi users;
    private final EnrolmentApi enrolments;

    AdminApi(Services services, UserAdmin userAdmin, Enrolments enrolments) {
        this.tokens = new TokensApi(new Tokens(services));
        this.users = new UsersApi(userAdmin);
        this.enrolments = new EnrolmentApi(enrolments);
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
        enrolments.routes(r);
    }
}
