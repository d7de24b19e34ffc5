package org.certwatch.web.internal;

import org.certwatch.api.fleet.UserScope;

/** The administration pages: API tokens, users, groups, the caller's account, enrolment tokens, renewal, CA import and deletion, policies; the dashboard's first steps. */
final class AdminPages {
    private final TokenPages tokens;
    private final UserPages users;
    private final EnrolmentPages enrolments;
    private final FirstSteps firstSteps;
    private final Renewals renewals;
    private final CaAdmin cas;
    private final PolicyAdmin policyAdmin;
    private final PolicyPages policies;

    AdminPages(Services services, UserAdmin userAdmin, Enrolments enrolments, Renewals renewals, CaAdmin cas,
            PolicyAdmin policies, Views views) {
        this.tokens = new TokenPages(new Tokens(services), services);
        this.users = new UserPages(userAdmin);
        this.enrolments = new EnrolmentPages(enrolments, userAdmin);
        this.firstSteps = new FirstSteps(services);
        this.renewals = renewals;
        this.cas = cas;
        this.policyAdmin = policies;
        this.policies = new PolicyPages(policies, userAdmin, views);
    }

    /** The dashboard's list of what a new server still lacks. */
    FirstSteps firstSteps() {
        return firstSteps;
    }

    /** The certificate page's renewal form (or its successor's link). */
    String renewal(UserScope scope, String csrf, Views.Row r) {
        return renewals.form(scope, csrf, r);
    }

    /** The policy that applies to a computer, for its page. */
    PolicyAdmin policies() {
        return policyAdmin;
    }

    /** The CA page's deletion form. */
    String caDeletion(UserScope scope, String csrf, Views.Row r) {
        return cas.deleteForm(scope, csrf, r);
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
        enrolments.routes(r);
        renewals.pageRoutes(r);
        cas.pageRoutes(r);
        policies.routes(r);
    }
}
