package org.certwatch.web.internal;

/** The administration resources of the API: API tokens, users and groups, enrolment tokens, renewal, CA import and deletion. */
final class AdminApi {
    private final TokensApi tokens;
    private final UsersApi users;
    private final EnrolmentApi enrolments;
    private final Renewals renewals;
    private final CaAdmin cas;

    AdminApi(Services services, UserAdmin userAdmin, Enrolments enrolments, Renewals renewals, CaAdmin cas) {
        this.tokens = new TokensApi(new Tokens(services));
        this.users = new UsersApi(userAdmin);
        this.enrolments = new EnrolmentApi(enrolments);
        this.renewals = renewals;
        this.cas = cas;
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
        enrolments.routes(r);
        renewals.apiRoutes(r);
        cas.apiRoutes(r);
    }
}
