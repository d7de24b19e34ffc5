package org.certwatch.web.internal;

/** The administration resources of the API: API tokens, users and groups, enrolment tokens, renewal, CA import and deletion, policies. */
final class AdminApi {
    private final TokensApi tokens;
    private final UsersApi users;
    private final EnrolmentApi enrolments;
    private final Renewals renewals;
    private final CaAdmin cas;
    private final PolicyAdmin policies;

    AdminApi(Services services, UserAdmin userAdmin, Enrolments enrolments, Renewals renewals, CaAdmin cas, PolicyAdmin policies) {
        this.tokens = new TokensApi(new Tokens(services));
        this.users = new UsersApi(userAdmin);
        this.enrolments = new EnrolmentApi(enrolments);
        this.renewals = renewals;
        this.cas = cas;
        this.policies = policies;
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
        enrolments.routes(r);
        renewals.apiRoutes(r);
        cas.apiRoutes(r);
        new PoliciesApi(policies).routes(r);
    }

    /** The policy that applies to a computer, for its resource. */
    PolicyAdmin policies() {
        return policies;
    }
}
