package org.certwatch.web.internal;

/** The administration pages: API tokens, users, groups, the caller's account, enrolment tokens; the dashboard's first steps. */
final class AdminPages {
    private final TokenPages tokens;
    private final UserPages users;
    private final EnrolmentPages enrolments;
    private final FirstSteps firstSteps;

    AdminPages(Services services, UserAdmin userAdmin, Enrolments enrolments) {
        this.tokens = new TokenPages(new Tokens(services), services);
        this.users = new UserPages(userAdmin);
        this.enrolments = new EnrolmentPages(enrolments, userAdmin);
        this.firstSteps = new FirstSteps(services);
    }

    /** The dashboard's list of what a new server still lacks. */
    FirstSteps firstSteps() {
        return firstSteps;
    }

    void routes(Router r) {
        tokens.routes(r);
        users.routes(r);
        enrolments.routes(r);
    }
}
